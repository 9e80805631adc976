package io.synctriage.model.spi;

import java.time.Instant;
import java.util.List;

import io.synctriage.model.Alternative;
import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;

/**
 * A candidate cause proposed by a provider check; the engine picks the primary cause among all
 * findings by {@link Level}, then by the evidence nearest before the state change, then by
 * confidence.
 *
 * @param cause        the cause
 * @param level        its precedence level
 * @param confidence   in [0, 1]
 * @param at           time of the deciding evidence (null when timeless, e.g. inbox count)
 * @param evidence     the evidence behind it
 * @param summary      one or two sentences for the customer; null to use the catalogue text
 * @param remediation  ordered steps addressed to the actor; empty to use the catalogue text
 * @param alternatives other causes, best first
 */
public record Finding(Cause cause, Level level, double confidence, Instant at, List<EvidenceItem> evidence,
                      String summary, List<String> remediation, List<Alternative> alternatives) {

    public Finding {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
        remediation = remediation == null ? List.of() : List.copyOf(remediation);
        alternatives = alternatives == null ? List.of() : List.copyOf(alternatives);
    }
}
