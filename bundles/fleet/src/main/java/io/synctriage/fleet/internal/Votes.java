package io.synctriage.fleet.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.synctriage.model.Actor;
import io.synctriage.model.Cause;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.FleetFailure;

/** What the failures of a cluster agree on: the cause their codes name, their family, their error kind. */
final class Votes {

    /**
     * The error kinds that can join a provider-wide cluster (decision-tree.md "Provider-wide"): credential
     * errors of the application's OAuth client, and server errors / timeouts.
     */
    static final Set<ErrorKind> PROVIDER_WIDE_KINDS = Set.of(ErrorKind.CLIENT_CREDENTIALS, ErrorKind.SERVER,
            ErrorKind.NETWORK);

    private Votes() {
    }

    /**
     * Precedence 2 of the decision tree: a same-moment or recurring domain pattern takes any MAIL_ADMIN
     * cause the codes of its clustered failures name — the one named most often (ties: the earliest), as
     * the engine's refinement does; null when none names one.
     */
    static Cause adminCause(List<FleetFailure> failures) {
        return mostNamed(failures, true);
    }

    /** The specific cause named most often by the failures (ties: the earliest), or null. */
    static Cause anyCause(List<FleetFailure> failures) {
        return mostNamed(failures, false);
    }

    private static Cause mostNamed(List<FleetFailure> failures, boolean adminOnly) {
        Map<Cause, Integer> votes = new LinkedHashMap<>();
        for (FleetFailure f : failures) {
            Cause c = f.cause();
            if (c != null && c != Cause.UNDETERMINED && (!adminOnly || c.actor() == Actor.MAIL_ADMIN)) {
                votes.merge(c, 1, Integer::sum);
            }
        }
        Cause best = null;
        int most = 0;
        for (Map.Entry<Cause, Integer> e : votes.entrySet()) {
            if (e.getValue() > most) {
                best = e.getKey();
                most = e.getValue();
            }
        }
        return best;
    }

    /** The family all the failures share, or null when they span families. */
    static ProviderFamily family(List<FleetFailure> failures) {
        ProviderFamily shared = null;
        for (FleetFailure f : failures) {
            ProviderFamily p = f.change().family();
            if (p == null || (shared != null && shared != p)) {
                return null;
            }
            shared = p;
        }
        return shared;
    }

    static long distinctAccounts(List<FleetFailure> failures) {
        return failures.stream().map(f -> FailureWindows.key(f.accountId())).distinct().count();
    }

    /** Whether the list holds this failure (same account, same instant). */
    static boolean contains(List<FleetFailure> failures, FleetFailure f) {
        for (FleetFailure g : failures) {
            if (g.at().equals(f.at()) && g.accountId().equalsIgnoreCase(f.accountId())) {
                return true;
            }
        }
        return false;
    }
}
