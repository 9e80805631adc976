package io.synctriage.fleet.internal;

import java.time.Duration;
import java.util.List;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;

/**
 * The one-sentence summary of an incident, derived from its current members (so that it stays true as
 * accounts join), e.g. "3 accounts of contoso.com failed within 6 min (…); their errors name
 * ADMIN_REVOKED_SESSIONS (AADSTS50173 on 3 accounts)".
 */
final class IncidentText {

    private IncidentText() {
    }

    static String summary(TrackedIncident t) {
        int n = t.members.size();
        String span = t.firstAt == null ? "" : " (" + t.firstAt + (t.firstAt.equals(t.lastAt) ? "" : " … " + t.lastAt) + ")";
        String within = t.firstAt == null ? "" : " within " + Durations.human(Duration.between(t.firstAt, t.lastAt));
        return switch (t.kind) {
            case SAME_MOMENT -> accounts(n) + " of " + t.domain + " failed" + within + span + causeClause(t,
                    Cause.ADMIN_DISCONNECTED, "the customer's mail administrator disconnected the application");
            case RECURRING -> t.failureCount() + " failures of " + accounts(n) + " of " + t.domain + " each came "
                    + periodText(t).replace("every ", "") + " after that account's previous (re)authentication" + span
                    + causeClause(t, Cause.DOMAIN_SESSION_POLICY, "a session policy of the domain is too short for background sync");
            case PROVIDER_WIDE -> accounts(n, t.family) + " across " + t.domains().size() + " unrelated domains failed"
                    + within + span + " with " + (t.cause == Cause.OAUTH_CLIENT_CREDENTIALS_INVALID
                    ? "credential errors of the application's OAuth client" : "server errors / timeouts")
                    + ": " + t.cause + parenthesised(signatureNote(t));
            case SCHEDULE -> schedule(t, n, span);
            case FLAPPING -> flapping(t, span);
        };
    }

    private static String schedule(TrackedIncident t, int n, String span) {
        if (t.cause == Cause.GOOGLE_APP_TESTING_MODE) {
            return accounts(n, t.family) + " each failed " + periodText(t).replace("every ", "")
                    + " after their own authorisation" + span
                    + ": the application's OAuth consent screen is in Testing mode (GOOGLE_APP_TESTING_MODE)";
        }
        if (t.cause == Cause.REFRESH_TOKEN_INACTIVE) {
            Long least = null;
            for (TrackedIncident.Member m : t.members.values()) {
                if (m.intervalSeconds != null && (least == null || m.intervalSeconds < least)) {
                    least = m.intervalSeconds;
                }
            }
            // idle for the schedule's median ± spread (their "period"), else at least the shortest idle time known
            String idle = t.periodSeconds != null ? " after " + periodText(t).replace("every ", "")
                    : least == null ? "" : " after at least " + Durations.human(least);
            return accounts(n, t.family) + " failed" + (idle.isEmpty() ? "" : idle + " without activity") + span
                    + ": their refresh tokens expired through inactivity (REFRESH_TOKEN_INACTIVE"
                    + (signatureNote(t).isEmpty() ? "" : "; " + signatureNote(t)) + ")";
        }
        return accounts(n, t.family) + " failed on a schedule" + (t.periodSeconds == null ? "" : " (" + periodText(t) + ")")
                + span + ": " + t.cause + parenthesised(signatureNote(t));
    }

    private static String flapping(TrackedIncident t, String span) {
        TrackedIncident.Member m = t.members.values().iterator().next();
        String what = m.label() + " failed " + m.failures + " times, each soon after its own re-authentication or restart" + span;
        if (t.cause == null || t.cause == Cause.UNDETERMINED) {
            return what + ": its errors name no cause (UNDETERMINED); re-authenticating or restarting it again will not help";
        }
        List<String> sigs = t.signatures();
        return what + ": its errors name " + t.cause + (sigs.isEmpty() ? "" : " (" + sigs.get(0) + ")")
                + ", which re-authentication does not clear";
    }

    private static String causeClause(TrackedIncident t, Cause generic, String genericText) {
        if (t.cause == generic || t.cause == null) {
            return ": " + genericText + " (" + generic + "); no error code names a more specific cause";
        }
        return "; their errors name " + t.cause + parenthesised(signatureNote(t));
    }

    /** "AADSTS50173 on 3 accounts" for the most frequent signature, or "". */
    private static String signatureNote(TrackedIncident t) {
        List<String> sigs = t.signatures();
        if (sigs.isEmpty()) {
            return "";
        }
        String top = sigs.get(0);
        int on = 0;
        for (TrackedIncident.Member m : t.members.values()) {
            if (top.equals(m.signature)) {
                on++;
            }
        }
        return top + " on " + accounts(on);
    }

    private static String parenthesised(String s) {
        return s.isEmpty() ? "" : " (" + s + ")";
    }

    private static String periodText(TrackedIncident t) {
        return t.periodSeconds == null ? "a fixed time" : Durations.period(t.periodSeconds, t.toleranceSeconds);
    }

    private static String accounts(int n) {
        return n == 1 ? "1 account" : n + " accounts";
    }

    private static String accounts(int n, ProviderFamily family) {
        String name = family == null ? "" : switch (family) {
            case MICROSOFT -> "Microsoft ";
            case GOOGLE -> "Google ";
            case EAS -> "Exchange ";
            case IMAP -> "IMAP ";
        };
        return n + " " + name + (n == 1 ? "account" : "accounts");
    }
}
