package io.synctriage.provider.support;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Subject;

/** When an account was last authorised or last used, as far as the evidence tells. */
public final class Timing {

    private Timing() {
    }

    /**
     * The latest successful (re)authorisation at or before {@code notAfter}: {@code linked_at}, a v3
     * grant's {@code created_at}, or a re-authentication event ({@code account.connected},
     * {@code account.running}, {@code grant.created}, {@code grant.updated}).
     */
    public static Optional<Instant> lastAuthorisation(Subject subject, List<AccountEvent> events, Instant notAfter) {
        Instant best = notAfterOrNull(subject.linkedAt(), notAfter);
        if (subject instanceof Account a) {
            best = max(best, notAfterOrNull(a.createdAt(), notAfter));
        }
        for (AccountEvent e : events) {
            if (e.isReauthentication()) {
                best = max(best, notAfterOrNull(e.timestamp(), notAfter));
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The latest evidence that the account's refresh token was used at or before {@code notAfter}:
     * {@code last_activity_at}, a v3 {@code grant_updated_at} (last successful refresh), or the last
     * authorisation. Refresh tokens roll forward on use, so inactivity counts from here.
     */
    public static Optional<Instant> lastUse(Account account, List<AccountEvent> events, Instant notAfter) {
        Instant best = notAfterOrNull(account.lastActivityAt(), notAfter);
        for (AccountEvent e : events) {
            if (e.grantUpdatedAt() != null && (e.timestamp() == null || !e.timestamp().isAfter(notAfter))) {
                best = max(best, notAfterOrNull(e.grantUpdatedAt(), notAfter));
            }
        }
        best = max(best, lastAuthorisation(account, events, notAfter).orElse(null));
        return Optional.ofNullable(best);
    }

    private static Instant notAfterOrNull(Instant at, Instant notAfter) {
        return at == null || at.isAfter(notAfter) ? null : at;
    }

    private static Instant max(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** A duration for people: {@code 7 d 0 h 12 min}, {@code 3 h 5 min}, {@code 81 s}. */
    public static String describe(Duration d) {
        Duration abs = d.abs();
        String sign = d.isNegative() ? "-" : "";
        long days = abs.toDays();
        long hours = abs.toHoursPart();
        long minutes = abs.toMinutesPart();
        if (days > 0) {
            return sign + days + " d " + hours + " h " + minutes + " min";
        }
        if (hours > 0) {
            return sign + hours + " h " + minutes + " min";
        }
        if (minutes > 0) {
            return sign + minutes + " min " + abs.toSecondsPart() + " s";
        }
        return sign + abs.getSeconds() + " s";
    }
}
