package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Account account = ev.account();
        List<Hit> in = new ArrayList<>();
        List<Hit> after = new ArrayList<>();
        List<Hit> before = new ArrayList<>();
        int lines = 0;
        int order = 0;
        Instant quiet = null;
        List<Object> sources = new ArrayList<>();
        sources.addAll(ev.authLog());
        sources.addAll(ev.syncLog());
        sources.addAll(ev.events());
        // Logs repeat themselves (token refreshes, subscription renewals): each distinct text is prepared
        // and looked up once per scan. The subject is always the account, so the text alone decides.
        Map<Key, Scanned> scanned = new HashMap<>();
        for (Object o : sources) {
            LogLine line = null;
            AccountEvent event = null;
            Instant at;
            Key key;
            if (o instanceof LogLine l) {
                if (!concerns(account, l.accountId(), l.email())) {
                    continue;
                }
                line = l;
                at = l.timestamp();
                key = new Key(l.error(), l.message());
            } else {
                AccountEvent e = (AccountEvent) o;
                if (!concerns(account, e.accountId(), e.email()) || e.text().isBlank()) {
                    continue;
                }
                event = e;
                at = e.timestamp();
                key = new Key(e.error(), e.message());
            }
            order++;
            if (window.contains(at)) {
                lines++;
            }
            Scanned known = scanned.get(key);
            if (known == null) {
                Text t = Text.of(key.error(), key.message());
                known = new Scanned(t, t.isEmpty() ? List.of() : List.copyOf(table.find(t, account)));
                scanned.put(key, known);
            }
            Text text = known.text();
            if (text.isEmpty()) {
                continue;
            }
            List<Signature> found = known.found();
            if (found.isEmpty()) {
                if (line != null && line.source() != EvidenceSource.AUTH_LOG && isQuiet(line.level())
                        && line.timestamp() != null && !window.isAfterT(line.timestamp())
                        && (quiet == null || line.timestamp().isAfter(quiet))) {
                    quiet = line.timestamp();
                }
                continue;
            }
            // the evidence item is built for matching lines only: most lines match nothing
            EvidenceItem item = line != null
                    ? new EvidenceItem(line.source() == null ? "sync_log" : line.source().key(), at, quote(line.text()))
                    : new EvidenceItem(EvidenceSource.WEBHOOKS.key(), at, quote(event.type() + ": " + event.text()));
            Hit hit = new Hit(item, line, text, found, order);
            if (window.isAfterT(hit.at())) {
                after.add(hit);
            } else if (window.isBeforeWindow(hit.at())) {
                before.add(hit);
            } else {
                in.add(hit);
            }
        }
        in.sort(CHRONOLOGICAL);
        after.sort(CHRONOLOGICAL);
        before.sort(CHRONOLOGICAL);
        boolean supplied = ev.supplied().contains(EvidenceSource.SYNC_LOG)
                || ev.supplied().contains(EvidenceSource.AUTH_LOG)
                || !ev.syncLog().isEmpty() || !ev.authLog().isEmpty();
        return new LogScan(window, in, after, before, lines, supplied, quiet);
    }

    /** A logged text as given: the OAuth error field and the message. */
    private record Key(String error, String message) {
    }

    /** A text prepared once and the table's rows for it (immutable, shared by the hits of equal lines). */
    private record Scanned(Text text, List<Signature> found) {
    }

    private static boolean isQuiet(String level) {
        if (level == null) {
            return true;
        }
        String l = level.trim();
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
