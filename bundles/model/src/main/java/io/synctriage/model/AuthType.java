package io.synctriage.model;

/** How an account authenticates against its provider (decision-tree.md S4). */
public enum AuthType {
    /** Basic auth: a stored password or app password. */
    BASIC,
    /** OAuth refresh tokens. */
    OAUTH
}
