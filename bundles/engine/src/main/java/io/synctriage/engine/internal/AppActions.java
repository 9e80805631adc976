package io.synctriage.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.synctriage.model.Account;
import io.synctriage.model.ApiCall;
import io.synctriage.model.Cause;

/**
 * S1: did the application itself revoke the tokens or stop the account? Reads the API log for
 * calls that target this account (by id in the path or record, or by email when the record names
 * no account), issued in the look-back window before T.
 */
final class AppActions {

    /** What an API call did to an account. */
    enum Action {
        REVOKE(Cause.APP_REVOKED_TOKENS), STOP(Cause.APP_STOPPED_ACCOUNT), REACTIVATE(null);

        final Cause cause;

        Action(Cause cause) {
            this.cause = cause;
        }
    }

    /** A counted call. */
    record Found(ApiCall call, Action action, String label, boolean byEmailOnly) {
    }

    /** The S1 answer: the deciding call (or null), and notes on calls that did not count. */
    record Result(Found decisive, List<Found> counted, List<String> notes) {
    }

    private static final Pattern REVOKE_ALL = Pattern.compile("/accounts/([^/?#]+)/revoke-all\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern OAUTH_REVOKE = Pattern.compile("(?:^|/)oauth/revoke\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern V3_REVOKE = Pattern.compile("(?:/v3)?/connect/revoke\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DOWNGRADE = Pattern.compile("/accounts/([^/?#]+)/downgrade\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern UPGRADE = Pattern.compile("/accounts/([^/?#]+)/upgrade\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern DELETE_V2 = Pattern.compile("/accounts/([^/?#]+)/?(?:[?#].*)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DELETE_V3 = Pattern.compile("(?:/v3)?/grants/([^/?#]+)/?(?:[?#].*)?$", Pattern.CASE_INSENSITIVE);
    private static final Pattern KEEP_TOKEN = Pattern.compile("\"?keep_access_token\"?\\s*[:=]\\s*\"?([^\"\\s,}&]+)",
            Pattern.CASE_INSENSITIVE);

    private AppActions() {
    }

    static Result find(Account account, List<ApiCall> apiLog, Instant t, Instant windowStart) {
        List<Found> counted = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Found pending = null; // the latest action still in force before T
        for (ApiCall call : apiLog) {
            Classified c = classify(call);
            if (c == null) {
                continue;
            }
            Target target = target(call, c.pathId, account);
            if (target == Target.OTHER) {
                continue;
            }
            String when = call.timestamp() == null ? "(no time)" : call.timestamp().toString();
            if (call.timestamp() == null) {
                notes.add(c.label + " " + when + " cannot be placed before or after the state change");
                continue;
            }
            if (call.timestamp().isAfter(t)) {
                notes.add(c.label + " at " + when + " came after the state change and did not cause it");
                continue;
            }
            if (call.timestamp().isBefore(windowStart)) {
                notes.add(c.label + " at " + when + " is older than the look-back window");
                continue;
            }
            if (call.status() != null && call.status() >= 400) {
                notes.add(c.label + " at " + when + " failed (HTTP " + call.status() + ") and changed nothing");
                continue;
            }
            if (c.action == Action.REVOKE && keepsAccessToken(call)) {
                notes.add(c.label + " at " + when + " kept an access token (keep_access_token): the account stayed connected");
                continue;
            }
            Found f = new Found(call, c.action, c.label, target == Target.BY_EMAIL);
            if (c.action == Action.REACTIVATE) {
                if (pending != null && pending.action == Action.STOP) {
                    notes.add(pending.label + " at " + pending.call.timestamp() + " was cancelled by " + c.label + " at " + when);
                    pending = null;
                }
                continue;
            }
            counted.add(f);
            pending = f; // the latest call before T decides
        }
        return new Result(pending, counted, notes);
    }

    private enum Target { BY_ID, BY_EMAIL, OTHER }

    private record Classified(Action action, String label, String pathId) {
    }

    private static Classified classify(ApiCall call) {
        String path = call.path();
        if (path == null) {
            return null;
        }
        String method = call.method() == null ? "" : call.method();
        Matcher m;
        if (method.equals("DELETE")) {
            if ((m = DELETE_V3.matcher(path)).find()) {
                return new Classified(Action.STOP, "DELETE /v3/grants/{id}", m.group(1));
            }
            if ((m = DELETE_V2.matcher(path)).find()) {
                return new Classified(Action.STOP, "DELETE account", m.group(1));
            }
            return null;
        }
        if (!method.equals("POST") && !method.isEmpty()) {
            return null; // reads never revoke or stop anything
        }
        if ((m = REVOKE_ALL.matcher(path)).find()) {
            return new Classified(Action.REVOKE, "POST …/revoke-all", m.group(1));
        }
        if ((m = DOWNGRADE.matcher(path)).find()) {
            return new Classified(Action.STOP, "POST …/downgrade", m.group(1));
        }
        if ((m = UPGRADE.matcher(path)).find()) {
            return new Classified(Action.REACTIVATE, "POST …/upgrade", m.group(1));
        }
        if (V3_REVOKE.matcher(path).find()) {
            return new Classified(Action.REVOKE, "POST /v3/connect/revoke", null);
        }
        if (OAUTH_REVOKE.matcher(path).find()) {
            return new Classified(Action.REVOKE, "POST /oauth/revoke", null);
        }
        return null;
    }

    /** By the id in the path, else by the record's account id, else by its email. */
    private static Target target(ApiCall call, String pathId, Account account) {
        if (pathId != null) {
            return pathId.equalsIgnoreCase(account.id()) ? Target.BY_ID : Target.OTHER;
        }
        if (call.accountId() != null) {
            return call.accountId().equalsIgnoreCase(account.id()) ? Target.BY_ID : Target.OTHER;
        }
        if (call.email() != null && account.email() != null
                && call.email().trim().toLowerCase(Locale.ROOT).equals(account.normalizedEmail())) {
            return Target.BY_EMAIL;
        }
        return Target.OTHER;
    }

    private static boolean keepsAccessToken(ApiCall call) {
        Object kept = call.body().get("keep_access_token");
        if (kept != null) {
            return !String.valueOf(kept).isBlank();
        }
        if (call.bodyText() != null) {
            Matcher m = KEEP_TOKEN.matcher(call.bodyText());
            return m.find() && !m.group(1).equalsIgnoreCase("null");
        }
        String path = call.path() == null ? "" : call.path();
        Matcher m = KEEP_TOKEN.matcher(path);
        return m.find();
    }

    static String before(Instant call, Instant t) {
        Duration d = Duration.between(call, t);
        return Durations.human(d) + " before the state change";
    }
}
