package io.synctriage.store.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The store's settings, validated. Tests build them directly; the component builds them from
 * {@link StoreConfiguration}.
 */
record StoreSettings(Duration retention, Duration purgeInterval, int peerLimit, Duration peerLookback,
                     Duration peerAfter, Duration providerWindow, Set<String> consumerDomains, int evidenceMaxRows,
                     int batchMaxRecords, int queueMaxRequests, Duration commitTimeout) {

    static final Set<String> DEFAULT_CONSUMER_DOMAINS = Set.of("gmail.com", "googlemail.com", "outlook.com",
            "hotmail.com", "live.com", "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com");

    StoreSettings {
        require(!retention.isNegative(), "retention.days must not be negative");
        require(purgeInterval.toMinutes() >= 1, "purge.interval.minutes must be at least 1");
        require(peerLimit >= 0, "peer.limit must not be negative");
        require(!peerLookback.isNegative() && !peerAfter.isNegative() && !providerWindow.isNegative(),
                "peer windows must not be negative");
        require(evidenceMaxRows >= 1, "evidence.max.rows must be at least 1");
        require(batchMaxRecords >= 1, "batch.max.records must be at least 1");
        require(queueMaxRequests >= 1, "queue.max.requests must be at least 1");
        require(commitTimeout.toSeconds() >= 1, "commit.timeout.seconds must be at least 1");
        Set<String> domains = new TreeSet<>();
        for (String d : consumerDomains) {
            if (d != null && !d.isBlank()) {
                domains.add(d.trim().toLowerCase(Locale.ROOT));
            }
        }
        consumerDomains = Set.copyOf(domains);
    }

    static StoreSettings defaults() {
        return new StoreSettings(Duration.ofDays(90), Duration.ofMinutes(60), 500, Duration.ofDays(30),
                Duration.ofMinutes(30), Duration.ofMinutes(30), DEFAULT_CONSUMER_DOMAINS, 5000, 5000, 10_000,
                Duration.ofSeconds(30));
    }

    static StoreSettings from(StoreConfiguration c) {
        return new StoreSettings(Duration.ofDays(c.retention_days()), Duration.ofMinutes(c.purge_interval_minutes()),
                c.peer_limit(), Duration.ofDays(c.peer_lookback_days()), Duration.ofMinutes(c.peer_after_minutes()),
                Duration.ofMinutes(c.provider_window_minutes()), listValues(c.consumer_domains()),
                c.evidence_max_rows(), c.batch_max_records(), c.queue_max_requests(),
                Duration.ofSeconds(c.commit_timeout_seconds()));
    }

    /**
     * A .cfg line "a,b,c" reaches a String[] attribute as ONE element "a,b,c" (Configuration Admin does not split
     * it): without splitting, the shipped consumer.domains line matched no domain and every gmail.com account
     * had the whole consumer domain read as its peers. Comma- or space-separated, as the engine and fleet read it.
     */
    static Set<String> listValues(String[] values) {
        Set<String> out = new TreeSet<>();
        for (String v : values) {
            for (String part : v.split("[,\\s]+")) {
                if (!part.isBlank()) {
                    out.add(part);
                }
            }
        }
        return out;
    }

    boolean isConsumerDomain(String domain) {
        return domain != null && consumerDomains.contains(domain);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
