package io.synctriage.provider.support;

import java.util.ArrayList;
import java.util.List;

import io.synctriage.model.Answer;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.TraceStep;

/**
 * The trace step of a "did the provider answer with a known code?" question: which lines decided
 * (the one nearest before T first), which were ignored because they came after T, or why the
 * question could not be asked.
 */
public final class CodeSteps {

    private CodeSteps() {
    }

    /**
     * @param id           step id
     * @param what         what was looked for, as a noun phrase ("AADSTS code that names a cause")
     * @param mine         this step's candidates, as {@link Candidates#group} ordered them
     * @param scan         the scan (for line counts and whether logs were supplied)
     * @param ignoredAfter lines of this step logged after T
     */
    public static TraceStep report(String id, String what, List<Candidates.Candidate> mine, LogScan scan,
                                   int ignoredAfter) {
        if (mine.isEmpty()) {
            if (!scan.logsSupplied() && scan.hits().isEmpty() && ignoredAfter == 0) {
                return TraceStep.of(id, Answer.SKIPPED, "no sync_log or auth_log supplied, so no " + what
                        + " can be found");
            }
            return TraceStep.of(id, Answer.NO, "no " + what + " in the " + Trace.lines(scan.linesInWindow())
                    + " of the look-back window" + Trace.ignoredAfterT(ignoredAfter));
        }
        Candidates.Candidate first = decidingFirst(mine);
        StringBuilder d = new StringBuilder();
        d.append(describe(first)).append(" (nearest before the state change)");
        List<EvidenceItem> items = new ArrayList<>();
        items.add(first.latest().item());
        for (Candidates.Candidate c : mine) {
            if (c != first) {
                d.append("; also ").append(describe(c));
                items.add(c.latest().item());
            }
        }
        d.append(Trace.ignoredAfterT(ignoredAfter));
        return new TraceStep(id, Answer.YES, d.toString(), items);
    }

    /** The candidate whose deciding line is the latest; specific ones before heuristics. */
    public static Candidates.Candidate decidingFirst(List<Candidates.Candidate> mine) {
        return mine.get(0);
    }

    private static String describe(Candidates.Candidate c) {
        String at = c.at() == null ? "an undated line" : IsoInstant.format(c.at());
        String times = c.count() > 1 ? " (" + c.count() + " times)" : "";
        return c.signature().label() + " at " + at + times + " → " + c.cause() + " ("
                + c.level().name().toLowerCase(java.util.Locale.ROOT) + ")";
    }
}
