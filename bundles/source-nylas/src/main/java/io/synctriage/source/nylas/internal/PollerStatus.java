package io.synctriage.source.nylas.internal;

/**
 * The poller's state for a console command or a health line (registered as a service of this bundle, with no
 * configuration properties: the component's configuration holds secrets).
 */
public interface PollerStatus {

    /** Whether polls are scheduled (enabled and configured). */
    boolean running();

    /** What is polled, e.g. {@code Nylas v2 accounts at https://api.nylas.com/a/<client id>/accounts}. */
    String describe();

    /** The last poll's outcome (or why polling could not start), or null when nothing happened yet. */
    PollOutcome lastPoll();
}
