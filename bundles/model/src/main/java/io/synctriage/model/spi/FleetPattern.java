package io.synctriage.model.spi;

import java.util.List;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;

/**
 * A fleet pattern the engine found in S2/S3.
 *
 * @param kind          which pattern
 * @param cause         the generic cause it names (before refinement by error codes)
 * @param domain        the domain, or null for a provider-wide pattern
 * @param accountIds    the accounts in the cluster, the diagnosed one included
 * @param periodSeconds the period of a recurring pattern, or null
 * @param evidence      the failures that make up the pattern
 */
public record FleetPattern(PatternKind kind, Cause cause, String domain, List<String> accountIds,
                           Long periodSeconds, List<EvidenceItem> evidence) {

    public FleetPattern {
        accountIds = List.copyOf(accountIds);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
}
