package io.synctriage.model;

import java.util.List;

/**
 * One answered question of the decision tree.
 *
 * @param step     step id ({@link Steps} or a provider's own, e.g. {@code MS_AADSTS_CODE})
 * @param answer   yes / no / skipped / unknown
 * @param detail   why, for a person
 * @param evidence what decided it
 */
public record TraceStep(String step, Answer answer, String detail, List<EvidenceItem> evidence) {

    public TraceStep {
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /** A step without evidence. */
    public static TraceStep of(String step, Answer answer, String detail) {
        return new TraceStep(step, answer, detail, List.of());
    }
}
