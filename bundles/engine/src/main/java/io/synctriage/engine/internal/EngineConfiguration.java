package io.synctriage.engine.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code io.synctriage.engine} ({@code etc/io.synctriage.engine.cfg}). */
@ObjectClassDefinition(name = "Synctriage engine", description = "Thresholds of the triage decision tree")
@interface EngineConfiguration {

    @AttributeDefinition(description = "Look-back window before the state change, in days")
    int lookback_days() default 30;

    @AttributeDefinition(description = "Same-moment and provider-wide cluster window, in minutes")
    int cluster_window_minutes() default 30;

    @AttributeDefinition(description = "Accounts of one domain (the diagnosed one included) failing within the window for S3")
    int same_moment_min_accounts() default 2;

    @AttributeDefinition(description = "Failures whose (re)auth-to-failure intervals agree, for a recurring session policy")
    int recurring_min_failures() default 3;

    @AttributeDefinition(description = "Tolerance around the median interval of a recurring pattern, in percent")
    double recurring_tolerance_percent() default 10.0;

    @AttributeDefinition(description = "Distinct non-consumer domains of one provider family for a provider-wide cluster")
    int provider_wide_min_domains() default 3;

    @AttributeDefinition(description = "Consumer mail domains: never a domain pattern")
    String[] consumer_domains() default {"gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com",
            "msn.com", "yahoo.com", "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com"};
}
