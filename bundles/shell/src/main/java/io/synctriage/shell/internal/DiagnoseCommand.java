package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.completers.FileCompleter;

import io.synctriage.model.Diagnoser;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.InvalidEvidenceException;

/**
 * {@code triage:diagnose --file <bundle.json>}: diagnoses an evidence bundle file and prints the report.
 * {@code triage:diagnose <id|email>} (the stored diagnosis) needs the evidence store, which a later
 * bundle provides; until then it says so. Problems are reported as one plain line, never a stack trace
 * (see {@link #execute()}).
 */
@Service
@Command(scope = "triage", name = "diagnose",
        description = "Why did this synced account stop? Diagnoses an evidence bundle file (--file); "
                + "with the evidence store installed, also an account's stored evidence.")
public class DiagnoseCommand implements Action {

    static final String ENGINE_DOWN = "The diagnosis engine (bundle io.synctriage.engine) is not running.";

    /** Optional, so that the command exists and can say what is missing instead of "command not found". */
    @Reference(optional = true)
    Diagnoser diagnoser;

    /** The shell session: relative paths are resolved against its current directory. */
    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "account", required = false,
            description = "Account or grant id, or email address: diagnoses what is stored for it "
                    + "(needs the evidence store)")
    String account;

    @Option(name = "-f", aliases = "--file", required = false,
            description = "An evidence bundle JSON file (account, webhooks, api_log, sync_log, auth_log, peers, now)")
    @Completion(FileCompleter.class)
    String file;

    @Option(name = "--no-format", description = "Print the trace table without borders (for scripts)")
    boolean noFormat;

    /** Where the report goes; null: the session's {@code System.out}. */
    PrintStream out;

    /**
     * Prints the report. A problem is thrown as a {@link CommandException}: Karaf prints its message as
     * one line (no stack trace unless the session asks for them), logs it at debug level only, and a
     * scripted {@code bin/client} call exits with status 1.
     */
    @Override
    public Object execute() throws CommandException {
        if (file != null && account != null) {
            throw new CommandException("Give either an account or --file, not both.");
        }
        if (file == null) {
            if (account == null) {
                throw new CommandException("Nothing to diagnose: give --file <bundle.json> (or an account id or "
                        + "email once the evidence store is installed).");
            }
            throw new CommandException("The stored diagnosis of '" + account + "' needs the evidence store, which "
                    + "is not installed; diagnose an evidence bundle file with: triage:diagnose --file <bundle.json>");
        }
        Diagnoser engine = diagnoser;
        if (engine == null) {
            throw new CommandException(ENGINE_DOWN);
        }
        Path path;
        try {
            path = resolve(file);
        } catch (InvalidPathException e) {
            throw new CommandException("Not a valid file name: " + file);
        }
        Map<String, Object> bundle;
        try {
            bundle = EvidenceFiles.read(path);
        } catch (EvidenceFiles.UnusableFileException e) {
            throw new CommandException(e.getMessage());
        }
        Diagnosis diagnosis;
        try {
            diagnosis = engine.diagnose(bundle);
        } catch (InvalidEvidenceException e) {
            throw new CommandException("Invalid evidence bundle " + path + ", field " + e.field() + ": " + reason(e));
        }
        DiagnosisReport.print(diagnosis, out != null ? out : System.out, !noFormat);
        return null;
    }

    private Path resolve(String name) {
        Path given = Paths.get(name);
        if (given.isAbsolute() || session == null || session.currentDir() == null) {
            return given.toAbsolutePath().normalize();
        }
        return session.currentDir().resolve(given).normalize();
    }

    /** The exception's message without the field prefix it repeats. */
    private static String reason(InvalidEvidenceException e) {
        String message = e.getMessage();
        String prefix = e.field() + ": ";
        return message != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
