package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * One provider across many unrelated domains at once (decision-tree.md "Provider-wide"): failures of one
 * provider family that share an error kind, in at least {@code provider.wide.min.domains} distinct
 * non-consumer domains within one cluster window → credential errors of the application's OAuth client
 * ({@code invalid_client}, AADSTS7000222, {@code deleted_client}…) {@code OAUTH_CLIENT_CREDENTIALS_INVALID};
 * server errors / timeouts {@code PROVIDER_OUTAGE}. A failure without such a kind does not join. Of the
 * windows that contain this failure, the one spanning the most domains is the cluster. Provider-wide comes
 * first in the precedence: its failures form no same-moment or recurring domain incident.
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class ProviderWideDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: provider-wide detector",
            description = "One provider failing across unrelated domains at once: broken OAuth client or provider outage")
    @interface Config {
        @AttributeDefinition(description = "Provider-wide cluster window, in minutes")
        int cluster_window_minutes() default 30;

        @AttributeDefinition(description = "Distinct non-consumer domains of one provider family for a provider-wide incident")
        int provider_wide_min_domains() default 3;

        @AttributeDefinition(description = "Failures examined around each failure at most (bounds the work in a large outage)")
        int provider_wide_max_scan() default 5000;
    }

    /** The two kinds of provider-wide cluster. */
    private enum Wide { CREDENTIALS, SERVER }

    private final Duration window;
    private final int minDomains;
    private final int maxScan;

    @Activate
    public ProviderWideDetector(Config config) {
        this(Duration.ofMinutes(config.cluster_window_minutes()), config.provider_wide_min_domains(),
                config.provider_wide_max_scan());
    }

    ProviderWideDetector(Duration window, int minDomains, int maxScan) {
        if (window.isNegative() || window.isZero() || minDomains < 2 || maxScan < minDomains) {
            throw new IllegalArgumentException("provider-wide: a positive window, at least 2 domains, a scan of at least that many");
        }
        this.window = window;
        this.minDomains = minDomains;
        this.maxScan = maxScan;
    }

    @Override
    public String name() {
        return "provider-wide";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.PROVIDER_WIDE;
    }

    private static Wide wide(ErrorKind k) {
        if (k == ErrorKind.CLIENT_CREDENTIALS) {
            return Wide.CREDENTIALS;
        }
        return k == ErrorKind.SERVER || k == ErrorKind.NETWORK ? Wide.SERVER : null;
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        Wide kind = wide(failure.kind());
        ProviderFamily family = failure.change().family();
        if (kind == null || family == null) {
            return List.of();
        }
        List<FleetFailure> around = view.familyFailures(family, failure.at().minus(window), failure.at().plus(window));
        int pos = Scan.indexOf(around, failure);
        if (pos < 0) {
            return List.of();
        }
        int from = Math.max(0, pos - maxScan / 2);
        int to = Math.min(around.size() - 1, pos + maxScan / 2);
        List<FleetFailure> same = new ArrayList<>();
        int mine = -1;
        for (int i = from; i <= to; i++) {
            FleetFailure g = around.get(i);
            if (wide(g.kind()) == kind) {
                if (i == pos) {
                    mine = same.size();
                }
                same.add(g);
            }
        }
        // Slide a window of the cluster width over the failures (time order); it must contain this one.
        Map<String, Integer> domains = new HashMap<>();
        int bestFrom = -1;
        int bestTo = -1;
        int bestDomains = 0;
        int end = -1;
        for (int start = 0; start <= mine; start++) {
            Instant limit = same.get(start).at().plus(window);
            while (end + 1 < same.size() && !same.get(end + 1).at().isAfter(limit)) {
                end++;
                count(domains, same.get(end), view, 1);
            }
            if (end >= mine) {
                int n = domains.size();
                if (n > bestDomains || (n == bestDomains && n > 0 && end - start > bestTo - bestFrom)) {
                    bestDomains = n;
                    bestFrom = start;
                    bestTo = end;
                }
            }
            count(domains, same.get(start), view, -1);
        }
        if (bestDomains < minDomains) {
            return List.of();
        }
        List<FleetFailure> members = new ArrayList<>(same.subList(bestFrom, bestTo + 1));
        Cause cause = kind == Wide.CREDENTIALS ? Cause.OAUTH_CLIENT_CREDENTIALS_INVALID : Cause.PROVIDER_OUTAGE;
        String summary = Votes.distinctAccounts(members) + " " + family.id() + " accounts across " + bestDomains
                + " unrelated domains failed within " + Durations.human(window) + ": " + cause;
        return List.of(new IncidentCandidate(PatternKind.PROVIDER_WIDE, cause, null, family, members, null, null, summary));
    }

    private static void count(Map<String, Integer> domains, FleetFailure f, FleetView view, int delta) {
        String d = f.change().domain();
        if (d == null || view.isConsumerDomain(d)) {
            return;
        }
        int n = domains.getOrDefault(d, 0) + delta;
        if (n <= 0) {
            domains.remove(d);
        } else {
            domains.put(d, n);
        }
    }
}
