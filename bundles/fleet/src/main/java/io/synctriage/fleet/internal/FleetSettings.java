package io.synctriage.fleet.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The tracker's thresholds as plain values (the DS component builds them from {@link FleetTrackerConfig};
 * tests build them directly).
 *
 * @param pollInterval         pause between polls once the feed is drained
 * @param batchSize            records read from each feed per batch
 * @param lookback             how long failures are kept and incidents stay in the working set
 * @param clusterWindow        the same-moment / provider-wide window (also how long a domain pattern whose
 *                             failures could still join a provider-wide cluster is held back)
 * @param quietPeriod          an open incident closes after this long without a new failure
 * @param errorWindow          how long before a failure a logged error may explain it
 * @param maxFailures          failures kept in memory at most
 * @param maxFailuresPerDomain failures kept per domain at most
 * @param maxErrorLines        logged error lines kept in memory at most
 * @param consumerDomains      mail domains that are never a domain pattern
 */
record FleetSettings(Duration pollInterval, int batchSize, Duration lookback, Duration clusterWindow,
                     Duration quietPeriod, Duration errorWindow, int maxFailures, int maxFailuresPerDomain,
                     int maxErrorLines, Set<String> consumerDomains) {

    /** The configuration PID of the tracker and of every detector of this bundle. */
    static final String PID = "io.synctriage.fleet";

    /** The consumer domains of decision-tree.md "Definitions" (the engine's default list). */
    static final Set<String> DEFAULT_CONSUMER_DOMAINS = Set.of("gmail.com", "googlemail.com", "outlook.com",
            "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com");

    FleetSettings {
        requirePositive(pollInterval, "poll interval");
        requirePositive(lookback, "look-back");
        requirePositive(clusterWindow, "cluster window");
        requirePositive(quietPeriod, "quiet period");
        requirePositive(errorWindow, "error window");
        if (batchSize < 1 || maxFailures < 1 || maxFailuresPerDomain < 1 || maxErrorLines < 1) {
            throw new IllegalArgumentException("batch size and memory limits must be at least 1");
        }
        consumerDomains = consumerDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    static FleetSettings defaults() {
        return new FleetSettings(Duration.ofMillis(200), 1000, Duration.ofDays(30), Duration.ofMinutes(30),
                Duration.ofHours(6), Duration.ofHours(24), 500_000, 10_000, 300_000, DEFAULT_CONSUMER_DOMAINS);
    }

    static FleetSettings from(FleetTrackerConfig c) {
        return new FleetSettings(Duration.ofMillis(c.poll_interval_ms()), c.batch_size(),
                Duration.ofDays(c.lookback_days()), Duration.ofMinutes(c.cluster_window_minutes()),
                Duration.ofHours(c.quiet_period_hours()), Duration.ofHours(c.error_window_hours()), c.max_failures(),
                c.max_failures_per_domain(), c.max_error_lines(), consumerDomains(c.consumer_domains()));
    }

    /** A .cfg line "a,b,c" arrives as one string: accept comma- or space-separated lists too. */
    static Set<String> consumerDomains(String[] values) {
        return Stream.of(values).flatMap(v -> Stream.of(v.split("[,\\s]+"))).collect(Collectors.toSet());
    }

    boolean isConsumerDomain(String domain) {
        return domain != null && consumerDomains.contains(domain);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }
}
