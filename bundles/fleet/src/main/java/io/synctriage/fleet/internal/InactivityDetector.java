package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.FleetDetector;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.FleetView;
import io.synctriage.model.spi.IncidentCandidate;
import io.synctriage.model.spi.PatternKind;

/**
 * The Microsoft inactivity schedule: refresh tokens die after 90 days without use, typically for accounts
 * that were paused or cancelled. A Microsoft failure is on it when Microsoft says so (AADSTS700082 /
 * 70008, classified {@code REFRESH_TOKEN_INACTIVE}), or — the Microsoft check's heuristic — when it logged
 * an authentication error that names no specific cause and came at least {@code inactivity.days} after the
 * account's last activity or (re)authentication, whichever is later. The heuristic needs the account's last
 * activity: when only its authorisation is known, an account that has synced every minute since it was
 * linked long ago would look idle, and a fleet holds thousands of those. At least
 * {@code inactivity.min.accounts} accounts within the look-back either side → a
 * {@code REFRESH_TOKEN_INACTIVE} schedule incident (no domain). It has no period: each account fails once,
 * whenever it is next used after its 90 days.
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class InactivityDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: Microsoft inactivity detector",
            description = "Microsoft accounts failing after 90 days without use: their refresh tokens expired")
    @interface Config {
        @AttributeDefinition(description = "Look-back window either side of a failure, in days")
        int lookback_days() default 30;

        @AttributeDefinition(description = "Days without use after which a Microsoft refresh token expires")
        int inactivity_days() default 90;

        @AttributeDefinition(description = "Microsoft accounts failing through inactivity for an incident")
        int inactivity_min_accounts() default 2;

        @AttributeDefinition(description = "Failures examined around each failure at most")
        int schedule_max_scan() default 20000;
    }

    /** Microsoft's own word for it, when the classifier left the cause out. */
    private static final Pattern INACTIVITY_CODE = Pattern.compile("AADSTS(?:700082|70008)(?!\\d)");

    private final Duration lookback;
    private final long idleSeconds;
    private final int minAccounts;
    private final int maxScan;

    @Activate
    public InactivityDetector(Config config) {
        this(Duration.ofDays(config.lookback_days()), Duration.ofDays(config.inactivity_days()),
                config.inactivity_min_accounts(), config.schedule_max_scan());
    }

    InactivityDetector(Duration lookback, Duration idle, int minAccounts, int maxScan) {
        if (minAccounts < 2 || idle.isNegative() || idle.isZero() || maxScan < 1) {
            throw new IllegalArgumentException("inactivity: at least 2 accounts, a positive idle time and scan");
        }
        this.lookback = lookback;
        this.idleSeconds = idle.getSeconds();
        this.minAccounts = minAccounts;
        this.maxScan = maxScan;
    }

    @Override
    public String name() {
        return "microsoft-inactivity";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.SCHEDULE;
    }

    /** Seconds from the account's last use (latest of last activity and (re)authentication) to the failure, or null. */
    static Long idleSeconds(FleetFailure f) {
        Instant at = f.at();
        Instant last = null;
        for (Instant i : new Instant[] {f.change().lastActivityAt(), f.change().reauthAt()}) {
            if (i != null && !i.isAfter(at) && (last == null || i.isAfter(last))) {
                last = i;
            }
        }
        return last == null ? null : at.getEpochSecond() - last.getEpochSecond();
    }

    private boolean inactive(FleetFailure f) {
        if (f.change().family() != ProviderFamily.MICROSOFT) {
            return false;
        }
        if (f.cause() == Cause.REFRESH_TOKEN_INACTIVE) {
            return true;
        }
        if (f.cause() != null) {
            return false;
        }
        if (f.signature() != null && INACTIVITY_CODE.matcher(f.signature()).find()) {
            return true;
        }
        // the heuristic needs activity evidence: with only the authorisation known, an account that has been
        // syncing every minute since it was linked long ago would look idle
        Long idle = idleSeconds(f);
        return f.kind() == ErrorKind.AUTH && f.change().lastActivityAt() != null && idle != null && idle >= idleSeconds;
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        if (!inactive(failure)) {
            return List.of();
        }
        List<FleetFailure> microsoft = view.familyFailures(ProviderFamily.MICROSOFT, failure.at().minus(lookback),
                failure.at().plus(lookback));
        List<FleetFailure> members = Scan.nearestPerAccount(microsoft, failure, maxScan, this::inactive);
        if (members.size() < minAccounts) {
            return List.of();
        }
        members.sort(Comparator.comparing(FleetFailure::at));
        // The schedule's "period" is how long the members had been idle (median, and the farthest from it): it
        // tells a token lifetime policy (all near 90 d) from accounts that were simply abandoned for months.
        List<Long> idle = new ArrayList<>(members.size());
        for (FleetFailure m : members) {
            Long s = idleSeconds(m);
            if (s != null) {
                idle.add(s);
            }
        }
        Long period = null;
        Long spread = null;
        String how = Durations.human(idleSeconds) + " or more";
        if (!idle.isEmpty()) {
            Collections.sort(idle);
            int n = idle.size();
            period = (idle.get((n - 1) / 2) + idle.get(n / 2)) / 2;
            spread = Math.max(period - idle.get(0), idle.get(n - 1) - period);
            how = Durations.period(period, spread).replace("every ", "");
        }
        String summary = members.size() + " Microsoft accounts failed after " + how + " without use: "
                + Cause.REFRESH_TOKEN_INACTIVE;
        return List.of(new IncidentCandidate(PatternKind.SCHEDULE, Cause.REFRESH_TOKEN_INACTIVE, null,
                ProviderFamily.MICROSOFT, members, period, spread, summary));
    }
}
