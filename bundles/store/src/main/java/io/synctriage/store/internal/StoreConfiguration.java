package io.synctriage.store.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.synctriage.store} ({@code etc/io.synctriage.store.cfg}). */
@ObjectClassDefinition(name = "Synctriage evidence store",
        description = "Retention, peer assembly and write batching of the durable evidence store")
@interface StoreConfiguration {

    @AttributeDefinition(description = "LDAP filter selecting the javax.sql.DataSource service to store into")
    String dataSource_target() default "(osgi.jndi.service.name=synctriage)";

    @AttributeDefinition(description = "Keep records for this many days; 0 keeps everything")
    int retention_days() default 90;

    @AttributeDefinition(description = "Minutes between two purge runs (the first runs a minute after start)")
    int purge_interval_minutes() default 60;

    @AttributeDefinition(description = "At most this many peers in one evidence bundle")
    int peer_limit() default 500;

    @AttributeDefinition(description = "Peers' notifications are taken from this many days before the account's latest failure")
    int peer_lookback_days() default 30;

    @AttributeDefinition(description = "... and up to this many minutes after it")
    int peer_after_minutes() default 30;

    @AttributeDefinition(description = "Accounts of the same provider family that failed within this many minutes of the account's latest failure are peers")
    int provider_window_minutes() default 30;

    @AttributeDefinition(description = "Consumer mail domains: their accounts are never peers by domain")
    String[] consumer_domains() default {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",
            "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com"};

    @AttributeDefinition(description = "At most this many records per source (webhooks, API log, sync log, auth log) in one evidence bundle, the latest")
    int evidence_max_rows() default 5000;

    @AttributeDefinition(description = "Group commit: at most this many records of concurrent callers in one transaction")
    int batch_max_records() default 5000;

    @AttributeDefinition(description = "Callers waiting for a commit beyond this many are turned away (overload)")
    int queue_max_requests() default 10000;

    @AttributeDefinition(description = "A caller gives up waiting for its commit after this many seconds")
    int commit_timeout_seconds() default 30;
}
