package io.synctriage.provider.support;

import java.util.ArrayList;
import java.util.List;

import io.synctriage.model.Answer;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.TraceStep;

/** Helpers for a provider's trace steps. */
public final class Trace {

    /** Lines quoted in one trace step, latest first. */
    static final int MAX_LINES = 5;

    private Trace() {
    }

    /** A step citing the given lines (latest first, at most five). */
    public static TraceStep step(String id, Answer answer, String detail, List<Hit> hits) {
        List<EvidenceItem> items = new ArrayList<>();
        for (int i = hits.size() - 1; i >= 0 && items.size() < MAX_LINES; i--) {
            items.add(hits.get(i).item());
        }
        return new TraceStep(id, answer, detail, items);
    }

    /** A step citing the given evidence items. */
    public static TraceStep step(String id, Answer answer, String detail, EvidenceItem... items) {
        return new TraceStep(id, answer, detail, List.of(items));
    }

    /** "; 2 matching lines after T ignored" or an empty string. */
    public static String ignoredAfterT(int n) {
        if (n <= 0) {
            return "";
        }
        return "; " + n + (n == 1 ? " matching line" : " matching lines")
                + " logged after the state change ignored (later evidence never explains it)";
    }

    /** "1 line" / "3 lines". */
    public static String lines(int n) {
        return n + (n == 1 ? " line" : " lines");
    }
}
