package io.synctriage.model;

/** A ranked alternative cause, with the confidence it deserves. */
public record Alternative(Cause cause, double confidence) {
}
