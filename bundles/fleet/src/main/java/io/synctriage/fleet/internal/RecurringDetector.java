package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Same domain, periodic (decision-tree.md "Recurring (session policy)"): each account fails a near-constant
 * time after its own (re)authentication. The largest set of the domain's failures whose intervals lie
 * within ±{@code recurring.tolerance.percent} of that set's median, containing this failure, must hold at
 * least {@code recurring.min.failures} failures of at least two accounts (accounts or repeated cycles, as the
 * engine counts them); the median is the reported period (at most the look-back) and the largest deviation
 * its tolerance. Cause: {@code DOMAIN_SESSION_POLICY}, refined by the members' codes like the engine does
 * (AADSTS70043 → {@code CA_SIGNIN_FREQUENCY}, {@code invalid_rapt} → {@code GOOGLE_SESSION_CONTROL}, any
 * other admin code → its cause).
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class RecurringDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: recurring detector",
            description = "Accounts of one domain failing a fixed time after their own (re)authentication: a session policy")
    @interface Config {
        @AttributeDefinition(description = "Look-back window, in days (also the longest period)")
        int lookback_days() default 30;

        @AttributeDefinition(description = "Cluster window, in minutes (peers failing just after this failure count)")
        int cluster_window_minutes() default 30;

        @AttributeDefinition(description = "Failures whose (re)auth-to-failure intervals agree, for a recurring incident")
        int recurring_min_failures() default 3;

        @AttributeDefinition(description = "Tolerance around the median interval, in percent")
        double recurring_tolerance_percent() default 10.0;
    }

    /**
     * The failures examined around this failure's interval: a large domain under one policy has thousands
     * of agreeing failures, and the nearest few hundred already prove the pattern and estimate the period.
     */
    static final int MAX_BAND = 256;
    /** Accounts in an agreeing set: one account's repeated cycles alone are flapping, not a domain policy. */
    static final int MIN_ACCOUNTS = 2;

    private final Duration lookback;
    private final Duration window;
    private final int minFailures;
    private final double tolerance;

    @Activate
    public RecurringDetector(Config config) {
        this(Duration.ofDays(config.lookback_days()), Duration.ofMinutes(config.cluster_window_minutes()),
                config.recurring_min_failures(), config.recurring_tolerance_percent() / 100.0);
    }

    RecurringDetector(Duration lookback, Duration window, int minFailures, double tolerance) {
        if (minFailures < 2 || tolerance <= 0 || tolerance >= 1 || lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("recurring: at least 2 failures, a tolerance in (0, 100) % and a positive look-back");
        }
        this.lookback = lookback;
        this.window = window;
        this.minFailures = minFailures;
        this.tolerance = tolerance;
    }

    @Override
    public String name() {
        return "recurring";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.RECURRING;
    }

    /** One reauth-to-failure cycle of an account. */
    private record Cycle(FleetFailure failure, long seconds) {
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        String domain = failure.change().domain();
        Long own = failure.secondsSinceReauth();
        if (domain == null || view.isConsumerDomain(domain) || own == null || own <= 0 || own > lookback.getSeconds()) {
            return List.of();
        }
        List<FleetFailure> all = view.domainFailures(domain, failure.at().minus(lookback), failure.at().plus(window));
        if (!Votes.contains(all, failure)) {
            return List.of(); // it joined a provider-wide cluster, which takes precedence
        }
        // One failure per cycle (account and re-authentication): "invalid" then "stopped" is one failure.
        Map<String, Cycle> cycles = new LinkedHashMap<>();
        for (FleetFailure g : all) {
            Long s = g.secondsSinceReauth();
            if (s != null && s > 0 && s <= lookback.getSeconds()) {
                cycles.putIfAbsent(cycleKey(g), new Cycle(g, s));
            }
        }
        // a repeated failure of one cycle stands for the cycle's first failure
        Cycle mine = cycles.get(cycleKey(failure));
        long x = mine.seconds();
        // Every set that contains this interval and agrees around its median lies in this band.
        double lo = x * (1 - tolerance) / (1 + tolerance);
        double hi = x * (1 + tolerance) / (1 - tolerance);
        List<Cycle> band = new ArrayList<>();
        for (Cycle c : cycles.values()) {
            if (c.seconds() >= lo && c.seconds() <= hi) {
                band.add(c);
            }
        }
        if (band.size() < minFailures) {
            return List.of();
        }
        if (band.size() > MAX_BAND) {
            band.sort(Comparator.comparingDouble(c -> Math.abs(Math.log((double) c.seconds() / x))));
            List<Cycle> nearest = new ArrayList<>(band.subList(0, MAX_BAND));
            if (!nearest.contains(mine)) {
                nearest.set(MAX_BAND - 1, mine);
            }
            band = nearest;
        }
        band.sort(Comparator.comparingLong(Cycle::seconds).thenComparing(c -> c.failure().at()));
        int pos = band.indexOf(mine);
        int bestFrom = -1;
        int bestTo = -1;
        long bestSpread = Long.MAX_VALUE;
        for (int i = 0; i <= pos; i++) {
            long first = band.get(i).seconds();
            for (int j = Math.max(pos, i + minFailures - 1); j < band.size(); j++) {
                long last = band.get(j).seconds();
                if (last > first * (1 + tolerance) / (1 - tolerance)) {
                    break; // no median can hold both ends
                }
                double median = median(band, i, j);
                if (first < median * (1 - tolerance) || last > median * (1 + tolerance)) {
                    continue;
                }
                int size = j - i + 1;
                int best = bestTo - bestFrom + 1;
                if (bestFrom >= 0 && size < best) {
                    continue;
                }
                long spread = (long) Math.ceil(Math.max(median - first, last - median));
                if ((bestFrom < 0 || size > best || spread < bestSpread) && accounts(band, i, j) >= MIN_ACCOUNTS) {
                    bestFrom = i;
                    bestTo = j;
                    bestSpread = spread;
                }
            }
        }
        if (bestFrom < 0) {
            return List.of();
        }
        double median = median(band, bestFrom, bestTo);
        if (median <= 0 || median > lookback.getSeconds()) {
            return List.of();
        }
        long period = Math.round(median);
        List<FleetFailure> members = new ArrayList<>();
        long spread = 0;
        for (int k = bestFrom; k <= bestTo; k++) {
            members.add(band.get(k).failure());
            spread = Math.max(spread, Math.abs(band.get(k).seconds() - period));
        }
        members.sort(Comparator.comparing(FleetFailure::at));
        Cause admin = Votes.adminCause(members);
        Cause cause = admin == null ? Cause.DOMAIN_SESSION_POLICY : admin;
        String summary = members.size() + " failures of " + domain + " each " + Durations.period(period, spread)
                + " after the account's (re)authentication: " + cause;
        return List.of(new IncidentCandidate(PatternKind.RECURRING, cause, domain, Votes.family(members), members,
                period, spread, summary));
    }

    private static String cycleKey(FleetFailure f) {
        Instant reauth = f.change().reauthAt();
        return FailureWindows.key(f.accountId()) + "|" + reauth;
    }

    private static double median(List<Cycle> sorted, int i, int j) {
        int n = j - i + 1;
        long a = sorted.get(i + (n - 1) / 2).seconds();
        long b = sorted.get(i + n / 2).seconds();
        return (a + b) / 2.0;
    }

    private static int accounts(List<Cycle> band, int i, int j) {
        Set<String> ids = new HashSet<>();
        for (int k = i; k <= j && ids.size() < MIN_ACCOUNTS; k++) {
            ids.add(FailureWindows.key(band.get(k).failure().accountId()));
        }
        return ids.size();
    }
}
