package io.synctriage.provider.support;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import io.synctriage.model.EvidenceItem;
import io.synctriage.model.LogLine;

/**
 * One logged line of the diagnosed account that matched at least one signature.
 *
 * @param item       the line as evidence ({@code sync_log}, {@code auth_log} or {@code webhooks})
 * @param line       the log line, or null when the text came from one of the account's own events
 * @param text       the prepared text
 * @param signatures the matching rows, best first (never empty)
 * @param order      position in the merged, time-ordered evidence (ties keep input order)
 */
public record Hit(EvidenceItem item, LogLine line, Text text, List<Signature> signatures, int order) {

    public Hit {
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty()) {
            throw new IllegalArgumentException("a hit needs a signature");
        }
    }

    /** When it was logged, or null. */
    public Instant at() {
        return item.timestamp();
    }

    /** The best matching row: the one that decides what this line means. */
    public Signature best() {
        return signatures.get(0);
    }

    /** Whether the best row satisfies the predicate. */
    public boolean bestIs(Predicate<Signature> p) {
        return p.test(best());
    }

    /** Whether any matching row satisfies the predicate. */
    public boolean any(Predicate<Signature> p) {
        for (Signature s : signatures) {
            if (p.test(s)) {
                return true;
            }
        }
        return false;
    }

    /** The log level, lower-cased, or null. */
    public String level() {
        return line == null || line.level() == null ? null : line.level().trim().toLowerCase(java.util.Locale.ROOT);
    }
}
