package io.synctriage.source.importer.internal;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Progress of a file import for the shell: on a terminal, a bar redrawn in place with {@code \r}
 * (at most every {@value #BAR_INTERVAL_MS} ms); elsewhere (scripts, {@code bin/client -b}, logs) a
 * plain line every {@value #LINE_INTERVAL_MS} ms, so nothing is garbled by carriage returns.
 */
final class Progress implements LongConsumer {

    static final long BAR_INTERVAL_MS = 100;
    static final long LINE_INTERVAL_MS = 5_000;
    private static final int BAR_WIDTH = 30;

    private final PrintStream out;
    private final long total;
    private final boolean terminal;
    private final LongSupplier clock;
    private long last;
    private boolean drawn;

    /**
     * @param total    file size in bytes
     * @param terminal whether the output is an interactive terminal
     * @param clock    milliseconds (System::currentTimeMillis; tests pass their own)
     */
    Progress(PrintStream out, long total, boolean terminal, LongSupplier clock) {
        this.out = out;
        this.total = Math.max(total, 1);
        this.terminal = terminal;
        this.clock = clock;
        this.last = clock.getAsLong();
    }

    @Override
    public void accept(long bytes) {
        long now = clock.getAsLong();
        if (now - last < (terminal ? BAR_INTERVAL_MS : LINE_INTERVAL_MS)) {
            return;
        }
        last = now;
        if (terminal) {
            out.print("\r" + bar(bytes));
            drawn = true;
        } else {
            out.println("  " + percent(bytes) + " (" + size(bytes) + " of " + size(total) + ")");
        }
        out.flush();
    }

    /** Completes the bar (if one was drawn) and ends its line. */
    void finish(long bytes) {
        if (terminal && drawn) {
            out.print("\r" + bar(bytes));
            out.println();
            out.flush();
        }
    }

    String bar(long bytes) {
        long done = Math.min(bytes, total);
        int filled = (int) (BAR_WIDTH * done / total);
        return "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + percent(done) + "  "
                + size(done) + " / " + size(total);
    }

    private String percent(long bytes) {
        return String.format(Locale.ROOT, "%3d%%", (int) (100 * Math.min(bytes, total) / total));
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
