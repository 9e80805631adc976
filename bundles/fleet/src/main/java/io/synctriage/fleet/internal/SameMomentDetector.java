package io.synctriage.fleet.internal;

import java.time.Duration;
import java.util.List;

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
 * Same domain, same moment (decision-tree.md S3): at least {@code same.moment.min.accounts} accounts of one
 * non-consumer domain fail within the cluster window of each other → the customer's mail administrator
 * disconnected the application ({@code ADMIN_DISCONNECTED}), or the specific admin cause their codes name
 * (AADSTS50173 → {@code ADMIN_REVOKED_SESSIONS}, 65001 → {@code ADMIN_CONSENT_REVOKED},
 * {@code admin_policy_enforced} → {@code GOOGLE_API_ACCESS_RESTRICTED}, EAS 129 → {@code EAS_DEVICE_BLOCKED}…).
 * Like the engine's S3, the window is centred on the failure: accounts failing up to one window before or
 * after it belong to its cluster.
 */
@Component(service = FleetDetector.class, configurationPid = FleetSettings.PID)
public final class SameMomentDetector implements FleetDetector {

    @ObjectClassDefinition(name = "Synctriage fleet: same-moment detector",
            description = "Accounts of one domain failing at the same moment: the mail admin disconnected the application")
    @interface Config {
        @AttributeDefinition(description = "Same-moment cluster window, in minutes")
        int cluster_window_minutes() default 30;

        @AttributeDefinition(description = "Accounts of one domain failing within the window for a same-moment incident")
        int same_moment_min_accounts() default 2;
    }

    private final Duration window;
    private final int minAccounts;

    @Activate
    public SameMomentDetector(Config config) {
        this(Duration.ofMinutes(config.cluster_window_minutes()), config.same_moment_min_accounts());
    }

    SameMomentDetector(Duration window, int minAccounts) {
        if (window.isNegative() || window.isZero() || minAccounts < 2) {
            throw new IllegalArgumentException("same moment: the window must be positive and the minimum at least 2 accounts");
        }
        this.window = window;
        this.minAccounts = minAccounts;
    }

    @Override
    public String name() {
        return "same-moment";
    }

    @Override
    public PatternKind kind() {
        return PatternKind.SAME_MOMENT;
    }

    @Override
    public List<IncidentCandidate> onFailure(FleetFailure failure, FleetView view) {
        String domain = failure.change().domain();
        if (domain == null || view.isConsumerDomain(domain)) {
            return List.of();
        }
        List<FleetFailure> near = view.domainFailures(domain, failure.at().minus(window), failure.at().plus(window));
        // absent: the failure joined a provider-wide cluster, which takes precedence
        if (!Votes.contains(near, failure) || Votes.distinctAccounts(near) < minAccounts) {
            return List.of();
        }
        Cause admin = Votes.adminCause(near);
        Cause cause = admin == null ? Cause.ADMIN_DISCONNECTED : admin;
        String summary = Votes.distinctAccounts(near) + " accounts of " + domain + " failed within "
                + Durations.human(Duration.between(near.get(0).at(), near.get(near.size() - 1).at())) + ": " + cause;
        return List.of(new IncidentCandidate(PatternKind.SAME_MOMENT, cause, domain, Votes.family(near), near, null,
                null, summary));
    }
}
