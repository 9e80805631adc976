package io.synctriage.provider.support;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.time.ZoneOffset;
import java.util.Optional;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;

/**
 * How long the account's refresh token went unused before T, and from which evidence. Refresh
 * tokens roll forward on every use, so inactivity counts from the last use: the latest of
 * {@code last_activity_at}, a v3 {@code grant_updated_at} (last successful refresh), a quiet
 * sync-log line, and the last authorisation. When only the authorisation is known an actively
 * syncing account would look idle, so such a measure is flagged ({@link #fromActivity()} false).
 *
 * @param lastUse      the last use, or null when nothing tells
 * @param t            the state change
 * @param source       which evidence gave the last use
 * @param fromActivity whether activity evidence (not only the authorisation) was available
 */
public record Idle(Instant lastUse, Instant t, String source, boolean fromActivity) {

    /** Measures the idle time before T from the account, its events and its sync log. */
    public static Idle measure(Account account, Evidence ev, LogScan scan, Instant t) {
        Instant best = null;
        String source = null;
        if (account.lastActivityAt() != null && !account.lastActivityAt().isAfter(t)) {
            best = account.lastActivityAt();
            source = "last_activity_at";
        }
        for (AccountEvent e : ev.events()) {
            Instant g = e.grantUpdatedAt();
            if (g != null && !g.isAfter(t) && (e.timestamp() == null || !e.timestamp().isAfter(t))
                    && (best == null || g.isAfter(best))) {
                best = g;
                source = "grant_updated_at of " + e.type();
            }
        }
        Optional<Instant> quiet = scan.lastQuietSyncLine();
        if (quiet.isPresent() && (best == null || quiet.get().isAfter(best))) {
            best = quiet.get();
            source = "latest sync activity in the sync log";
        }
        boolean fromActivity = best != null;
        Optional<Instant> auth = Timing.lastAuthorisation(account, ev.events(), t);
        if (auth.isPresent() && (best == null || auth.get().isAfter(best))) {
            best = auth.get();
            source = "last authorisation (linked_at / re-authentication)";
        }
        return new Idle(best, t, source, fromActivity);
    }

    public boolean measured() {
        return lastUse != null;
    }

    /** The idle time; only when {@link #measured()}. */
    public Duration idle() {
        return Duration.between(lastUse, t);
    }

    /** Whether it was idle at least this long. */
    public boolean atLeast(Duration d) {
        return measured() && idle().compareTo(d) >= 0;
    }

    /** Whether it was idle at least this calendar period (UTC), e.g. six months. */
    public boolean atLeast(Period p) {
        return measured() && !lastUse.atZone(ZoneOffset.UTC).plus(p).toInstant().isAfter(t);
    }

    /** "91 d 0 h 8 min before the state change (2026-04-14T06:12:00Z, grant_updated_at of grant.expired)". */
    public String describe() {
        return Timing.describe(idle()) + " before the state change (" + IsoInstant.format(lastUse) + ", " + source
                + ")";
    }

    /** "2026-04-14T06:12:00Z (grant_updated_at of grant.expired), 91 d 0 h 8 min before the state change". */
    public String sentence() {
        return IsoInstant.format(lastUse) + " (" + source + "), " + Timing.describe(idle())
                + " before the state change";
    }

    /** The last use as evidence. */
    public EvidenceItem item() {
        return new EvidenceItem("account", lastUse, "last use of the refresh token: " + source);
    }
}
