package io.synctriage.fleet.internal;

import java.util.Locale;

import io.synctriage.model.Incident;
import io.synctriage.model.spi.IncidentCandidate;

/**
 * The {@link IncidentCandidate#key()} of a stored incident, so that an incident loaded back into the
 * working set is found again by the candidates of its pattern (and a closed one can be reopened).
 */
final class IncidentKeys {

    private IncidentKeys() {
    }

    static String of(Incident i) {
        String fam = i.family() == null ? "*" : i.family().id();
        return switch (i.kind()) {
            case FLAPPING -> i.kind().name() + "|a:"
                    + (i.accounts().isEmpty() ? i.id() : i.accounts().get(0).accountId().toLowerCase(Locale.ROOT));
            case SCHEDULE -> i.kind().name() + "|f:" + fam + "|" + i.cause().name();
            case PROVIDER_WIDE -> i.kind().name() + "|f:" + fam;
            default -> i.kind().name() + "|d:" + i.domain();
        };
    }
}
