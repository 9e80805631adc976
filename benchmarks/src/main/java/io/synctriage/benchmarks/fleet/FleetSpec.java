package io.synctriage.benchmarks.fleet;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What {@link FleetGenerator} generates: {@code accounts} accounts over {@code domains} email domains and
 * {@code events} state-change/log events in the {@code days} days that end at {@code now}, with
 * {@code perKind} planted incidents of every {@link Scenario}. Equal specs generate byte-identical files.
 *
 * @param accounts accounts (v2 accounts and v3 grants), each written once as an {@code account} record
 * @param domains  distinct email domains, the consumer ones (gmail.com, outlook.com…) included
 * @param events   webhook, sync_log and auth_log records (account records not counted)
 * @param days     length of the window that ends at {@code now}
 * @param now      end of the window: no record is later
 * @param seed     the random seed
 * @param perKind  planted incidents per scenario
 */
public record FleetSpec(int accounts, int domains, long events, int days, Instant now, long seed, int perKind) {

    public static final long DEFAULT_SEED = 20261127L;

    public FleetSpec {
        if (domains < 20) {
            throw new IllegalArgumentException("domains must be at least 20, got " + domains);
        }
        if (accounts < 2 * domains) {
            throw new IllegalArgumentException("accounts must be at least twice the domains (" + 2 * domains
                    + "), got " + accounts);
        }
        if (accounts > 8_000_000) {
            throw new IllegalArgumentException("at most 8,000,000 accounts, got " + accounts);
        }
        if (events < accounts) {
            throw new IllegalArgumentException("events must be at least the accounts (" + accounts + "), got " + events);
        }
        if (days < 45 || days > 365) {
            throw new IllegalArgumentException("days must be in 45..365 (the look-back window is 30 days), got " + days);
        }
        if (perKind < 1) {
            throw new IllegalArgumentException("perKind must be at least 1, got " + perKind);
        }
        now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    /** 2,000 accounts, 100 domains, 20,000 events, 2 incidents per scenario: seconds to generate and load. */
    public static FleetSpec smoke(Instant now) {
        return new FleetSpec(2_000, 100, 20_000, 90, now, DEFAULT_SEED, 2);
    }

    /** The size: 1,000,000 accounts, 50,000 domains, 10,000,000 events, 50 incidents per scenario. */
    public static FleetSpec full(Instant now) {
        return new FleetSpec(1_000_000, 50_000, 10_000_000, 90, now, DEFAULT_SEED, 50);
    }

    /** The preset of that name ({@code smoke} or {@code full}). */
    public static FleetSpec ofScale(String scale, Instant now) {
        return switch (scale.trim().toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke(now);
            case "full" -> full(now);
            default -> throw new IllegalArgumentException("scale must be smoke or full, got '" + scale + "'");
        };
    }

    public FleetSpec withNow(Instant value) {
        return new FleetSpec(accounts, domains, events, days, value, seed, perKind);
    }

    public FleetSpec withSeed(long value) {
        return new FleetSpec(accounts, domains, events, days, now, value, perKind);
    }

    public FleetSpec withPerKind(int value) {
        return new FleetSpec(accounts, domains, events, days, now, seed, value);
    }

    /** Start of the window. */
    public Instant start() {
        return now.minus(Duration.ofDays(days));
    }
}
