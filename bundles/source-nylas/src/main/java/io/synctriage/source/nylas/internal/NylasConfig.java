package io.synctriage.source.nylas.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * Configuration of the Nylas reconciliation poller, PID {@value #PID} ({@code etc/io.synctriage.nylas.cfg}).
 * Property names are the method names with {@code _} read as {@code .} (e.g. {@code api.version}).
 */
@ObjectClassDefinition(name = "Synctriage Nylas reconciliation poller",
        description = "Periodically lists the Nylas v2 accounts or v3 grants and records the state changes the "
                + "webhooks missed. Disabled by default.")
@interface NylasConfig {

    String PID = "io.synctriage.nylas";

    @AttributeDefinition(name = "Enabled", description = "Poll the Nylas API. Off by default: it needs credentials.")
    boolean enabled() default false;

    @AttributeDefinition(name = "API version", options = {@Option(label = "v2 (accounts)", value = "2"),
            @Option(label = "v3 (grants)", value = "3")},
            description = "2: GET /a/{client.id}/accounts with the client secret; 3: GET /v3/grants with the API key.")
    int api_version() default 2;

    @AttributeDefinition(name = "Base URL", required = false,
            description = "Empty: https://api.nylas.com (v2) or https://api.us.nylas.com (v3). "
                    + "EU v3 applications use https://api.eu.nylas.com.")
    String base_url() default "";

    @AttributeDefinition(name = "API v2 client id", required = false,
            description = "The application's client id (v2), part of the account-list path.")
    String client_id() default "";

    @AttributeDefinition(name = "API v2 client secret", type = AttributeType.PASSWORD, required = false,
            description = "The application's client secret (v2), sent as the HTTP Basic user with an empty password.")
    String client_secret() default "";

    @AttributeDefinition(name = "API v3 API key", type = AttributeType.PASSWORD, required = false,
            description = "The application's API key (v3), sent as Authorization: Bearer.")
    String api_key() default "";

    @AttributeDefinition(name = "Interval (seconds)", min = "10",
            description = "Time between the end of one poll and the start of the next.")
    long interval_seconds() default PollerSettings.DEFAULT_INTERVAL_SECONDS;

    @AttributeDefinition(name = "Initial delay (seconds)", min = "0",
            description = "Time from activation (start or configuration change) to the first poll.")
    long initial_delay_seconds() default PollerSettings.DEFAULT_INITIAL_DELAY_SECONDS;

    @AttributeDefinition(name = "Page size", min = "1", max = "1000",
            description = "Accounts or grants asked for per request (limit).")
    int page_size() default PollerSettings.DEFAULT_PAGE_SIZE;

    @AttributeDefinition(name = "Maximum pages per poll", min = "1",
            description = "A poll stops (with an error) after this many pages: a bound against a server that never "
                    + "ends the list.")
    int max_pages() default PollerSettings.DEFAULT_MAX_PAGES;

    @AttributeDefinition(name = "Connect timeout (seconds)", min = "1")
    int connect_timeout_seconds() default PollerSettings.DEFAULT_CONNECT_TIMEOUT_SECONDS;

    @AttributeDefinition(name = "Request timeout (seconds)", min = "1",
            description = "Longest wait for one page's response.")
    int request_timeout_seconds() default PollerSettings.DEFAULT_REQUEST_TIMEOUT_SECONDS;
}
