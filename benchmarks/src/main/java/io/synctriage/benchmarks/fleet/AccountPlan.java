package io.synctriage.benchmarks.fleet;

/**
 * What the planner decided for one account that takes part in a failure (planted or background): the
 * times its background noise must keep away from, and the snapshot values that differ from the layout's.
 */
final class AccountPlan {

    /** Its linked_at when the scenario sets it (Testing mode, inactivity), else null: the layout's. */
    Long linkedAt;
    /** Its latest re-authentication planned so far (a v3 grant's grant_updated_at), or null. */
    Long lastAuthAt;
    /** Its last_activity_at (epoch seconds), or null for the default (recent before now). */
    Long lastActivityAt;
    /** Its planned records lie in [busyFrom, busyTo]; background noise keeps two hours away from them. */
    long busyFrom = Long.MAX_VALUE;
    long busyTo = Long.MIN_VALUE;
    /** It ends invalid/stopped: no background sync after its first planned record. */
    boolean endsFailed;
    /** It is idle (inactivity scenario): no background noise at all. */
    boolean silent;
    /** A member of a planted incident (not a background failure). */
    boolean planted;

    void busy(long at) {
        busyFrom = Math.min(busyFrom, at);
        busyTo = Math.max(busyTo, at);
    }
}
