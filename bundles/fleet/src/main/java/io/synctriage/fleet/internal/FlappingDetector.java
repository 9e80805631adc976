package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.synctriage.model.Cause;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.FleetView;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/**
 * Flapping (domain.md §5, signals 7 and 10): one account that goes invalid again soon after each
 * re-authentication, or stops again within the platform's retry hour after each restart — the cause
 * persists (a policy that blocks issuance, the wrong account bound…), so re-authenticating or restarting it
 * in a loop will not help. At least {@code flapping.min.failures} cycles within the look-back, each failing
 * within {@code flapping.window.minutes} of its own preceding re-authentication or restart → a
 * {@code FLAPPING} incident for that account, with the specific cause its errors name, else
 * {@code UNDETERMINED}. Independent of the domain and provider patterns.
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class FlappingDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: flapping detector",
            description = "One account failing again soon after each re-authentication or restart")
    @interface Config {
        @AttributeDefinition(description = "Look-back window, in days")
        int lookback_days() default 30;

        @AttributeDefinition(description = "A failure this soon after the account's re-authentication or restart is a flap, in minutes")
        int flapping_window_minutes() default 60;

        @AttributeDefinition(description = "Flaps of one account for an incident")
        int flapping_min_failures() default 2;
    }

    private final Duration lookback;
    private final long windowSeconds;
    private final int minFailures;

    @Activate
    public FlappingDetector(Config config) {
        this(Duration.ofDays(config.lookback_days()), Duration.ofMinutes(config.flapping_window_minutes()),
                config.flapping_min_failures());
    }

    FlappingDetector(Duration lookback, Duration window, int minFailures) {
        if (minFailures < 2 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("flapping: at least 2 failures and a positive window");
        }
        this.lookback = lookback;
        this.windowSeconds = window.getSeconds();
        this.minFailures = minFailures;
    }

    @Override
    public String name() {
        return "flapping";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.FLAPPING;
    }

    private boolean flap(FleetFailure f) {
        Long s = f.secondsSinceReauth();
        return s != null && s <= windowSeconds;
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        if (!flap(failure)) {
            return List.of();
        }
        // one flap per re-authentication: "invalid" then "stopped" after the same sign-in is one cycle
        Map<Instant, FleetFailure> cycles = new LinkedHashMap<>();
        for (FleetFailure f : view.accountFailures(failure.accountId(), failure.at().minus(lookback), failure.at())) {
            if (flap(f)) {
                cycles.putIfAbsent(f.change().reauthAt(), f);
            }
        }
        if (cycles.size() < minFailures) {
            return List.of();
        }
        List<FleetFailure> members = new ArrayList<>(cycles.values());
        Cause named = Votes.anyCause(members);
        Cause cause = named == null ? Cause.UNDETERMINED : named;
        String label = failure.change().email() != null ? failure.change().email() : failure.accountId();
        String summary = label + " failed " + members.size() + " times, each within " + Durations.human(windowSeconds)
                + " of its own re-authentication or restart: " + cause;
        return List.of(new IncidentCandidate(PatternKind.FLAPPING, cause, failure.change().domain(),
                failure.change().family(), members, null, null, summary));
    }
}
