package io.synctriage.fleet.internal;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.FleetView;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/**
 * The Google Testing-mode schedule (decision-tree.md "Provider-wide", schedule): refresh tokens of an OAuth
 * app in Testing mode expire 7 days after each authorisation, so Google accounts of any domains — consumer
 * ones included — each fail 7 d ± 12 h after their own (re)authentication. At least
 * {@code testing.mode.min.accounts} such accounts within the look-back either side → a
 * {@code GOOGLE_APP_TESTING_MODE} schedule incident (no domain, period 7 d). Like the Google check, a
 * failure whose codes name another specific cause is not on this schedule.
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class TestingModeDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: Google Testing-mode detector",
            description = "Google accounts each failing 7 days after their own authorisation: the OAuth app is in Testing mode")
    @interface Config {
        @AttributeDefinition(description = "Look-back window either side of a failure, in days")
        int lookback_days() default 30;

        @AttributeDefinition(description = "Lifetime of a Testing-mode refresh token, in days")
        int testing_mode_days() default 7;

        @AttributeDefinition(description = "How far from that lifetime a failure may be, in hours")
        int testing_mode_tolerance_hours() default 12;

        @AttributeDefinition(description = "Google accounts on the schedule for an incident")
        int testing_mode_min_accounts() default 2;

        @AttributeDefinition(description = "Failures examined around each failure at most")
        int schedule_max_scan() default 20000;
    }

    private final Duration lookback;
    private final long period;
    private final long tolerance;
    private final int minAccounts;
    private final int maxScan;

    @Activate
    public TestingModeDetector(Config config) {
        this(Duration.ofDays(config.lookback_days()), Duration.ofDays(config.testing_mode_days()),
                Duration.ofHours(config.testing_mode_tolerance_hours()), config.testing_mode_min_accounts(),
                config.schedule_max_scan());
    }

    TestingModeDetector(Duration lookback, Duration period, Duration tolerance, int minAccounts, int maxScan) {
        if (minAccounts < 2 || period.isNegative() || period.isZero() || tolerance.isNegative() || maxScan < 1) {
            throw new IllegalArgumentException("testing mode: at least 2 accounts, a positive period and scan");
        }
        this.lookback = lookback;
        this.period = period.getSeconds();
        this.tolerance = tolerance.getSeconds();
        this.minAccounts = minAccounts;
        this.maxScan = maxScan;
    }

    @Override
    public String name() {
        return "google-testing-mode";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.SCHEDULE;
    }

    private boolean onSchedule(FleetFailure f) {
        if (f.change().family() != ProviderFamily.GOOGLE) {
            return false;
        }
        if (f.cause() != null && f.cause() != Cause.GOOGLE_APP_TESTING_MODE) {
            return false; // a specific reason, not the Testing-mode expiry
        }
        Long s = f.secondsSinceReauth();
        return s != null && Math.abs(s - period) <= tolerance;
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        if (!onSchedule(failure)) {
            return List.of();
        }
        List<FleetFailure> google = view.familyFailures(ProviderFamily.GOOGLE, failure.at().minus(lookback),
                failure.at().plus(lookback));
        List<FleetFailure> members = Scan.nearestPerAccount(google, failure, maxScan, this::onSchedule);
        if (members.size() < minAccounts) {
            return List.of();
        }
        members.sort(Comparator.comparing(FleetFailure::at));
        long spread = 0;
        for (FleetFailure m : members) {
            spread = Math.max(spread, Math.abs(m.secondsSinceReauth() - period));
        }
        String summary = members.size() + " Google accounts each failed " + Durations.period(period, spread)
                .replace("every ", "") + " after their own authorisation: " + Cause.GOOGLE_APP_TESTING_MODE;
        return List.of(new IncidentCandidate(PatternKind.SCHEDULE, Cause.GOOGLE_APP_TESTING_MODE, null,
                ProviderFamily.GOOGLE, members, period, spread, summary));
    }
}
