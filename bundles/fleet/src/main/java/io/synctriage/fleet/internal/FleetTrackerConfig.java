package io.synctriage.fleet.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The tracker's part of PID {@value FleetSettings#PID} ({@code etc/io.synctriage.fleet.cfg}); each detector
 * reads its own thresholds from the same PID. The names shared with {@code etc/io.synctriage.engine.cfg}
 * (look-back, cluster window, consumer domains) mean the same and should hold the same values: an
 * incident and a stored diagnosis must name the same cause for the same data.
 */
@ObjectClassDefinition(name = "Synctriage fleet tracker",
        description = "Incremental fleet incident tracking: feed polling, in-memory windows, incident lifecycle")
@interface FleetTrackerConfig {

    @AttributeDefinition(description = "How often the tracker polls the evidence feed when it has caught up, in milliseconds")
    long poll_interval_ms() default 200;

    @AttributeDefinition(description = "State changes / error lines read per batch (one incident save per batch)")
    int batch_size() default 1000;

    @AttributeDefinition(description = "Look-back window: how long failures stay in memory and incidents in the working set, in days")
    int lookback_days() default 30;

    @AttributeDefinition(description = "Same-moment and provider-wide cluster window, in minutes")
    int cluster_window_minutes() default 30;

    @AttributeDefinition(description = "An open incident closes after this long without a new failure, in hours "
            + "(recurring and schedule incidents: at least twice their period)")
    int quiet_period_hours() default 6;

    @AttributeDefinition(description = "A logged error explains a failure when it lies at most this long before it "
            + "(and after the account's latest re-authentication), in hours")
    int error_window_hours() default 24;

    @AttributeDefinition(description = "At most this many failures in memory (about 500 bytes each with their account); the oldest go first")
    int max_failures() default 500_000;

    @AttributeDefinition(description = "At most this many failures per domain in memory; the domain's oldest go first")
    int max_failures_per_domain() default 10_000;

    @AttributeDefinition(description = "At most this many logged error lines in memory (at most about 400 bytes each); the oldest go first")
    int max_error_lines() default 300_000;

    @AttributeDefinition(description = "Consumer mail domains: never a domain pattern")
    String[] consumer_domains() default {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",
            "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com"};
}
