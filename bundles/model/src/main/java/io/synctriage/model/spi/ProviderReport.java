package io.synctriage.model.spi;

import java.util.List;

import io.synctriage.model.TraceStep;

/**
 * What a provider check answers: its own trace steps (appended after S5/S6) and its findings.
 */
public record ProviderReport(List<TraceStep> steps, List<Finding> findings) {

    public ProviderReport {
        steps = steps == null ? List.of() : List.copyOf(steps);
        findings = findings == null ? List.of() : List.copyOf(findings);
    }

    /** A report with nothing to say. */
    public static ProviderReport empty() {
        return new ProviderReport(List.of(), List.of());
    }
}
