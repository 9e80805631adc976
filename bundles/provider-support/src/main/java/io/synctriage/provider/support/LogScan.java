package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.spi.CheckContext;

/**
 * The diagnosed account's logged failures, classified once against a signature table and split
 * by time: inside the look-back window (up to and including T), after T, before the window.
 *
 * <p>Sources: the auth log, the sync log, and the account's own events that carry an
 * {@code error}/{@code message}. A line that names another account (by id, or by email when it
 * has no id) is ignored. Undated lines are kept inside the window but rank before every dated
 * line, so a dated line nearest before T always wins over them.
 */
public final class LogScan {

    /** Longest evidence text quoted back; a token-endpoint body is far shorter. */
    static final int MAX_EVIDENCE_TEXT = 1000;

    private static final Comparator<Hit> CHRONOLOGICAL = Comparator
            .comparing((Hit h) -> h.at(), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingInt(Hit::order);

    private final Window window;
    private final List<Hit> inWindow;
    private final List<Hit> afterT;
    private final List<Hit> beforeWindow;
    private final int linesInWindow;
    private final boolean logsSupplied;
    private final Instant lastQuietSyncLine;

    private LogScan(Window window, List<Hit> inWindow, List<Hit> afterT, List<Hit> beforeWindow,
                    int linesInWindow, boolean logsSupplied, Instant lastQuietSyncLine) {
        this.window = window;
        this.lastQuietSyncLine = lastQuietSyncLine;
        this.inWindow = List.copyOf(inWindow);
        this.afterT = List.copyOf(afterT);
        this.beforeWindow = List.copyOf(beforeWindow);
        this.linesInWindow = linesInWindow;
        this.logsSupplied = logsSupplied;
    }

    /** Scans the context's evidence with the table. */
    public static LogScan of(CheckContext context, SignatureTable table) {
        Window window = Window.of(context);
        Evidence ev = context.evidence();
        Scanner scanner = new Scanner(window, ev.account(), table, KeptFinds.in(context.memo(), table),
                ev.authLog().size() + ev.syncLog().size() + ev.events().size());
        // auth log, sync log, then the account's own events: the order ties keep (Hit.order)
        for (LogLine l : ev.authLog()) {
            scanner.line(l);
        }
        for (LogLine l : ev.syncLog()) {
            scanner.line(l);
        }
        for (AccountEvent e : ev.events()) {
            scanner.event(e);
        }
        scanner.in.sort(CHRONOLOGICAL);
        scanner.after.sort(CHRONOLOGICAL);
        scanner.before.sort(CHRONOLOGICAL);
        boolean supplied = ev.supplied().contains(EvidenceSource.SYNC_LOG)
                || ev.supplied().contains(EvidenceSource.AUTH_LOG)
                || !ev.syncLog().isEmpty() || !ev.authLog().isEmpty();
        return new LogScan(window, scanner.in, scanner.after, scanner.before, scanner.lines, supplied, scanner.quiet);
    }

    /** The state of one scan, fed line by line. */
    private static final class Scanner {
        private final Window window;
        private final Account account;
        private final SignatureTable table;
        /** What the table found for texts the engine classified earlier in the diagnosis, or null. */
        private final KeptFinds kept;
        /**
         * Logs repeat themselves (token refreshes, subscription renewals): each distinct text is prepared
         * and looked up once per scan. The subject is always the account, so the text alone decides.
         */
        private final SeenTexts scanned;
        final List<Hit> in = new ArrayList<>();
        final List<Hit> after = new ArrayList<>();
        final List<Hit> before = new ArrayList<>();
        int lines;
        private int order;
        Instant quiet;

        Scanner(Window window, Account account, SignatureTable table, KeptFinds kept, int expectedLines) {
            this.window = window;
            this.account = account;
            this.table = table;
            this.kept = kept;
            this.scanned = new SeenTexts(expectedLines);
        }

        void line(LogLine l) {
            if (!concerns(account, l.accountId(), l.email())) {
                return;
            }
            Scanned known = counted(l.timestamp(), l.error(), l.message());
            if (known == null) {
                return;
            }
            List<Signature> found = known.found();
            if (found.isEmpty()) {
                if (l.source() != EvidenceSource.AUTH_LOG && isQuiet(l.level()) && l.timestamp() != null
                        && !window.isAfterT(l.timestamp()) && (quiet == null || l.timestamp().isAfter(quiet))) {
                    quiet = l.timestamp();
                }
                return;
            }
            // the evidence item is built for matching lines only: most lines match nothing
            add(new Hit(new EvidenceItem(l.source() == null ? "sync_log" : l.source().key(), l.timestamp(),
                    quote(l.text())), l, known.text(), found, order));
        }

        void event(AccountEvent e) {
            // blank exactly when e.text() (error and message joined) is: without joining them
            if (!concerns(account, e.accountId(), e.email()) || isBlank(e.error()) && isBlank(e.message())) {
                return;
            }
            Scanned known = counted(e.timestamp(), e.error(), e.message());
            if (known != null && !known.found().isEmpty()) {
                add(new Hit(new EvidenceItem(EvidenceSource.WEBHOOKS.key(), e.timestamp(),
                        quote(e.type() + ": " + e.text())), null, known.text(), known.found(), order));
            }
        }

        /** Counts a line of the account and prepares its text once; null when the text is empty. */
        private Scanned counted(Instant at, String error, String message) {
            order++;
            if (window.contains(at)) {
                lines++;
            }
            int slot = scanned.slot(error, message);
            Scanned known = scanned.values[slot];
            if (known == null) {
                known = scan(error, message);
                scanned.put(slot, error, message, known);
            }
            return known == Scanned.EMPTY ? null : known;
        }

        /** A distinct text, prepared and looked up. */
        private Scanned scan(String error, String message) {
            // Text.of joins the trimmed fields; most lines have one of them, often one the table's first
            // look rules out without the full preparation
            String e = error == null ? "" : error.trim();
            String m = message == null ? "" : message.trim();
            String plain = e.isEmpty() ? m : m.isEmpty() ? e : null;
            if (plain != null && !table.mayMatchPlain(plain)) {
                return Scanned.NO_MATCH;
            }
            // then what the engine had the table find for the text already (no rows for a text ruled out)
            KeptFinds.Found found = kept == null ? null : kept.get(error, message, account);
            if (found != null) {
                return found.text().isEmpty() ? Scanned.EMPTY : new Scanned(found.text(), found.rows());
            }
            Text t = Text.of(error, message);
            return t.isEmpty() ? Scanned.EMPTY : new Scanned(t, List.copyOf(table.find(t, account)));
        }

        private void add(Hit hit) {
            if (window.isAfterT(hit.at())) {
                after.add(hit);
            } else if (window.isBeforeWindow(hit.at())) {
                before.add(hit);
            } else {
                in.add(hit);
            }
        }
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    /**
     * The distinct texts of one scan, by OAuth error field and message as given: a hash table with open
     * addressing, sized for every line distinct (it never grows), so that a line costs no key object
     * and no map entry.
     */
    private static final class SeenTexts {
        private final String[] errors;
        private final String[] messages;
        final Scanned[] values;
        private final int mask;

        SeenTexts(int lines) {
            int capacity = Integer.highestOneBit(Math.max(8, Math.min(lines, 1 << 28)) * 2 - 1) << 1;
            errors = new String[capacity];
            messages = new String[capacity];
            values = new Scanned[capacity];
            mask = capacity - 1;
        }

        /** The slot of the text: where it is, or the free one where it goes. */
        int slot(String error, String message) {
            int h = 31 * Objects.hashCode(error) + Objects.hashCode(message);
            int i = (h ^ h >>> 16) & mask;
            while (values[i] != null && !(Objects.equals(errors[i], error) && Objects.equals(messages[i], message))) {
                i = (i + 1) & mask;
            }
            return i;
        }

        void put(int slot, String error, String message, Scanned value) {
            errors[slot] = error;
            messages[slot] = message;
            values[slot] = value;
        }
    }

    /**
     * A text prepared once and the table's rows for it (immutable, shared by the hits of equal lines).
     * The text is null when no row can match it: it is then never needed, as a text is only for hits.
     */
    private record Scanned(Text text, List<Signature> found) {
        /** A line whose text is empty: not counted further. */
        static final Scanned EMPTY = new Scanned(Text.of(""), List.of());
        /** A non-empty text that no row matches, told without preparing it. */
        static final Scanned NO_MATCH = new Scanned(null, List.of());
    }

    static boolean isQuiet(String level) {
        if (level == null) {
            return true;
        }
        String l = level.trim();
        if (l.isEmpty()) {
            return true;
        }
        // Every noisy level starts with e, w, f or c (in either case); an ASCII first letter lower-cases
        // alone, so any other one ("info", "debug", "trace") is quiet without reading further.
        char first = l.charAt(0);
        if (first < 128 && "ewfcEWFC".indexOf(first) < 0) {
            return true;
        }
        if (!isAscii(l)) {
            l = l.toLowerCase(java.util.Locale.ROOT);
            return !(l.startsWith("err") || l.startsWith("warn") || l.equals("fatal") || l.equals("critical"));
        }
        // ASCII levels are compared case-insensitively in place: this runs for every quiet line, and
        // for ASCII regionMatches(ignoreCase) is exactly toLowerCase(ROOT) without the copy.
        return !(l.regionMatches(true, 0, "err", 0, 3) || l.regionMatches(true, 0, "warn", 0, 4)
                || l.equalsIgnoreCase("fatal") || l.equalsIgnoreCase("critical"));
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    private static boolean concerns(Account account, String accountId, String email) {
        if (accountId != null && !accountId.isBlank()) {
            return account.id() == null || accountId.trim().equals(account.id());
        }
        if (email != null && !email.isBlank() && account.email() != null) {
            return email.trim().equalsIgnoreCase(account.email().trim());
        }
        return true;
    }

    static String quote(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() <= MAX_EVIDENCE_TEXT ? t : t.substring(0, MAX_EVIDENCE_TEXT) + "…";
    }

    public Window window() {
        return window;
    }

    /** Hits inside the look-back window (T included), oldest first; undated ones first of all. */
    public List<Hit> hits() {
        return inWindow;
    }

    /** Hits inside the window whose line satisfies the predicate, oldest first. */
    public List<Hit> hits(Predicate<Hit> p) {
        List<Hit> out = new ArrayList<>();
        for (Hit h : inWindow) {
            if (p.test(h)) {
                out.add(h);
            }
        }
        return out;
    }

    /** The hit nearest before T that satisfies the predicate. */
    public Optional<Hit> latest(Predicate<Hit> p) {
        for (int i = inWindow.size() - 1; i >= 0; i--) {
            if (p.test(inWindow.get(i))) {
                return Optional.of(inWindow.get(i));
            }
        }
        return Optional.empty();
    }

    /** Matching lines logged after T: they never explain the account's own change. */
    public List<Hit> afterT() {
        return afterT;
    }

    /** Matching lines older than the look-back window. */
    public List<Hit> beforeWindow() {
        return beforeWindow;
    }

    /** Number of the account's log lines (matching or not) inside the window. */
    public int linesInWindow() {
        return linesInWindow;
    }

    /**
     * The latest sync-log line at or before T that matched no failure signature and is not logged
     * as an error or warning: evidence that the account was syncing (its token in use) then.
     */
    public Optional<Instant> lastQuietSyncLine() {
        return Optional.ofNullable(lastQuietSyncLine);
    }

    /** Whether a sync or auth log was supplied at all (an empty array counts as supplied). */
    public boolean logsSupplied() {
        return logsSupplied;
    }
}
