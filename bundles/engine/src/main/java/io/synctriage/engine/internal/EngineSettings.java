package io.synctriage.engine.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The thresholds of decision-tree.md "Definitions", as plain values (the DS component builds them
 * from {@link EngineConfiguration}; tests build them directly).
 *
 * @param lookback             look-back window before T (default 30 days)
 * @param clusterWindow        same-moment / provider-wide window (default 30 minutes)
 * @param sameMomentMinAccounts accounts of one domain, the diagnosed one included, for S3 (default 2)
 * @param recurringMinFailures failures whose intervals agree, for a recurring pattern (default 3)
 * @param recurringTolerance   relative tolerance around the median interval (default 0.10)
 * @param providerWideMinDomains distinct non-consumer domains for a provider-wide cluster (default 3)
 * @param consumerDomains      mail domains that are never a domain pattern
 */
public record EngineSettings(Duration lookback, Duration clusterWindow, int sameMomentMinAccounts,
                             int recurringMinFailures, double recurringTolerance, int providerWideMinDomains,
                             Set<String> consumerDomains) {

    public static final Set<String> DEFAULT_CONSUMER_DOMAINS = Set.of("gmail.com", "googlemail.com", "outlook.com",
            "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com");

    public EngineSettings {
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("lookback must be positive");
        }
        if (clusterWindow.isNegative() || clusterWindow.isZero()) {
            throw new IllegalArgumentException("cluster window must be positive");
        }
        if (sameMomentMinAccounts < 2 || recurringMinFailures < 2 || providerWideMinDomains < 2) {
            throw new IllegalArgumentException("cluster minimums must be at least 2");
        }
        if (recurringTolerance <= 0 || recurringTolerance >= 1) {
            throw new IllegalArgumentException("recurring tolerance must be in (0, 1)");
        }
        consumerDomains = consumerDomains.stream().map(d -> d.trim().toLowerCase(Locale.ROOT))
                .filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The defaults of decision-tree.md. */
    public static EngineSettings defaults() {
        return new EngineSettings(Duration.ofDays(30), Duration.ofMinutes(30), 2, 3, 0.10, 3, DEFAULT_CONSUMER_DOMAINS);
    }

    static EngineSettings from(EngineConfiguration c) {
        // A .cfg line "a,b,c" arrives as one string: accept comma- or space-separated lists too.
        Set<String> consumer = Stream.of(c.consumer_domains()).flatMap(v -> Stream.of(v.split("[,\\s]+")))
                .collect(Collectors.toSet());
        return new EngineSettings(Duration.ofDays(c.lookback_days()), Duration.ofMinutes(c.cluster_window_minutes()),
                c.same_moment_min_accounts(), c.recurring_min_failures(), c.recurring_tolerance_percent() / 100.0,
                c.provider_wide_min_domains(), consumer);
    }

    boolean isConsumerDomain(String domain) {
        return domain != null && consumerDomains.contains(domain);
    }
}
