package io.synctriage.benchmarks.fleet;

/**
 * One planned record of the event stream other than the background noise: a notification (failure,
 * re-authentication, sign-up) or a log line that carries an error. Ordered by time, then by planning order.
 */
final class FleetEvent implements Comparable<FleetEvent> {

    enum What { WEBHOOK, AUTH_LOG, SYNC_LOG }

    /** Epoch seconds. */
    final long at;
    final long order;
    final int account;
    final What what;
    /** Webhook trigger ({@code account.invalid}, {@code grant.updated}…), or null for a log line. */
    final String type;
    /** Log level, or null. */
    final String level;
    /** The OAuth {@code error} field of an auth-log line, or the error a notification carries; null for none. */
    final String error;
    /** The logged text, or the message a notification carries; null for none. */
    final String message;
    /** {@code reauthentication_flag} of a v3 grant.updated, else null. */
    final Boolean reauth;
    /** {@code grant_updated_at} of a v3 grant.expired (the grant's real latest authorisation), else null. */
    final Long grantUpdatedAt;

    private FleetEvent(long at, long order, int account, What what, String type, String level, String error,
                       String message, Boolean reauth, Long grantUpdatedAt) {
        this.at = at;
        this.order = order;
        this.account = account;
        this.what = what;
        this.type = type;
        this.level = level;
        this.error = error;
        this.message = message;
        this.reauth = reauth;
        this.grantUpdatedAt = grantUpdatedAt;
    }

    static FleetEvent webhook(long at, long order, int account, String type, String error, String message,
                              Boolean reauth, Long grantUpdatedAt) {
        return new FleetEvent(at, order, account, What.WEBHOOK, type, null, error, message, reauth, grantUpdatedAt);
    }

    static FleetEvent authLog(long at, long order, int account, String level, String error, String message) {
        return new FleetEvent(at, order, account, What.AUTH_LOG, null, level, error, message, null, null);
    }

    static FleetEvent syncLog(long at, long order, int account, String level, String message) {
        return new FleetEvent(at, order, account, What.SYNC_LOG, null, level, null, message, null, null);
    }

    boolean isFailure() {
        return type != null && (type.equals("account.invalid") || type.equals("account.stopped")
                || type.equals("account.sync_error") || type.equals("grant.expired"));
    }

    @Override
    public int compareTo(FleetEvent o) {
        int c = Long.compare(at, o.at);
        return c != 0 ? c : Long.compare(order, o.order);
    }
}
