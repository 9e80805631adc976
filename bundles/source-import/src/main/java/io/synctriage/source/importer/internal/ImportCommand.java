package io.synctriage.source.importer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.Terminal;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;

import io.synctriage.model.EvidenceStore;

/**
 * {@code triage:import <file>}: imports an evidence file into the store through the same path as
 * {@code POST /api/v1/evidence}, with a progress bar on a terminal, then prints accepted / rejected
 * counts and the first rejected records. Problems are one line ({@link CommandException}), never a
 * stack trace.
 */
@Service
@Command(scope = "triage", name = "import",
        description = "Imports an evidence file (JSON object with accounts/api_log/sync_log/auth_log/webhooks arrays, "
                + "NDJSON with one {\"kind\": …} record per line, the v2 account list or the v3 grants list) "
                + "into the evidence store.")
public class ImportCommand implements Action {

    /** Rejected records printed after the counts. */
    static final int REJECTED_SHOWN = 20;

    @Reference(optional = true)
    Importer importer;

    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "file", required = true,
            description = "The file: .ndjson/.jsonl is NDJSON, .json a JSON document; otherwise the content decides")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--format", description = "json or ndjson, when the file name and content do not tell")
    String format;

    @Option(name = "--no-progress", description = "No progress output (scripts)")
    boolean noProgress;

    /** Where the report goes; null: the session's {@code System.out}. */
    PrintStream out;

    /** Whether the output is an interactive terminal; null: ask the session. */
    Boolean terminal;

    @Override
    public Object execute() throws CommandException {
        Importer current = importer;
        if (current == null) {
            throw new CommandException("The evidence store (feature synctriage-store) or the diagnosis engine is not "
                    + "running: nothing can be imported.");
        }
        PrintStream print = out != null ? out : System.out;
        Path path = resolve();
        long size;
        String fileFormat;
        try {
            size = Files.size(path);
            fileFormat = format != null ? chosenFormat() : FileFormat.of(path);
        } catch (NoSuchFileException e) {
            throw new CommandException("No such file: " + path);
        } catch (IOException e) {
            throw new CommandException("Cannot read " + path + ": " + e.getMessage());
        }
        if (Files.isDirectory(path)) {
            throw new CommandException(path + " is a directory; give an evidence file");
        }
        Importer.Permit permit = current.tryAcquire();
        if (permit == null) {
            throw new CommandException("Too many imports in progress (max.concurrent.imports = "
                    + current.settings().maxConcurrent() + "); try again shortly.");
        }
        ImportReport report = current.newReport(fileFormat);
        Progress progress = new Progress(print, size, !noProgress && isTerminal(), System::currentTimeMillis);
        long started = System.nanoTime();
        try (permit) {
            if (FileFormat.NDJSON.equals(fileFormat)) {
                try (InputStream in = Files.newInputStream(path)) {
                    current.ndjson(in, report, noProgress ? bytes -> { } : progress);
                }
            } else {
                current.json(() -> Files.newInputStream(path), report, noProgress ? bytes -> { } : progress);
            }
            progress.finish(size);
        } catch (EvidenceImporter.UnusableBodyException e) {
            progress.finish(0);
            throw new CommandException("Nothing imported: " + path + " " + e.getMessage()
                    + (e.line() > 0 && !e.getMessage().contains("line " + e.line()) ? " (line " + e.line() + ")" : ""));
        } catch (EvidenceStore.StoreException e) {
            progress.finish(0);
            throw new CommandException("The evidence store failed after " + report.accepted()
                    + " record(s) were stored; the server log has the details.");
        } catch (IOException e) {
            progress.finish(0);
            throw new CommandException("Cannot read " + path + " (after " + report.accepted()
                    + " record(s) were stored): " + e.getMessage());
        }
        print(print, path, size, report, (System.nanoTime() - started) / 1_000_000);
        return null;
    }

    /** The report, for people and for {@code bin/client} scripts (grep-able "accepted"/"rejected" lines). */
    static void print(PrintStream print, Path path, long size, ImportReport report, long millis) {
        print.println("Imported " + path + " (" + report.format().toUpperCase(Locale.ROOT) + ", "
                + Progress.size(size) + ") in " + String.format(Locale.ROOT, "%.1f s", millis / 1000.0));
        print.println("  accepted  " + report.accepted() + "  (" + report.stored() + " record(s) stored, "
                + report.duplicates() + " duplicate notification(s), " + report.ignoredCount()
                + " notification(s) about other objects ignored)");
        print.println("  rejected  " + report.rejectedCount());
        if (!report.ignoredFields().isEmpty()) {
            print.println("  not imported: top-level field(s) " + String.join(", ", report.ignoredFields())
                    + " (only accounts, api_log, sync_log, auth_log, webhooks are evidence arrays)");
        }
        if (report.rejectedCount() > 0) {
            int shown = (int) Math.min(REJECTED_SHOWN, report.rejected().size());
            print.println("Rejected" + (report.rejectedCount() > shown ? " (first " + shown + " of "
                    + report.rejectedCount() + ")" : "") + ":");
            for (int i = 0; i < shown; i++) {
                print.println("  " + report.rejected().get(i).describe());
            }
        }
    }

    private String chosenFormat() throws CommandException {
        String f = format.trim().toLowerCase(Locale.ROOT);
        if (f.equals("json")) {
            return FileFormat.JSON;
        }
        if (f.equals("ndjson") || f.equals("jsonl")) {
            return FileFormat.NDJSON;
        }
        throw new CommandException("--format must be json or ndjson, got " + format);
    }

    private Path resolve() throws CommandException {
        try {
            Path given = Paths.get(file);
            if (given.isAbsolute() || session == null || session.currentDir() == null) {
                return given.toAbsolutePath().normalize();
            }
            return session.currentDir().resolve(given).normalize();
        } catch (InvalidPathException e) {
            throw new CommandException("Not a valid file name: " + file);
        }
    }

    /** A terminal that redraws a line in place: a real console or SSH session, not a dumb/batch one. */
    private boolean isTerminal() {
        if (terminal != null) {
            return terminal;
        }
        Terminal t = session == null ? null : session.getTerminal();
        return t != null && t.getWidth() > 0 && t.isAnsiSupported() && !"dumb".equalsIgnoreCase(t.getType());
    }
}
