package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

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
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.InvalidEvidenceException;

/**
 * {@code triage:diagnose <id|email>}: the diagnosis of everything the evidence store holds for an account
 * (webhooks, imported logs, snapshots, peers of its domain), as of now. {@code triage:diagnose --file
 * <bundle.json>}: the diagnosis of an evidence bundle file. Both print the same report. Problems are reported
 * as one plain line, never a stack trace (see {@link #execute()}).
 */
@Service
@Command(scope = "triage", name = "diagnose",
        description = "Why did this synced account stop? Diagnoses what is stored for an account (by id or "
                + "email), or an evidence bundle file (--file).")
public class DiagnoseCommand implements Action {

    static final String ENGINE_DOWN = "The diagnosis engine (bundle io.synctriage.engine) is not running.";
    static final String STORE_MISSING = "The evidence store (feature synctriage-store) is not installed or not "
            + "running, so nothing is stored to diagnose; diagnose an evidence bundle file with: "
            + "triage:diagnose --file <bundle.json>";

    /** Optional, so that the command exists and can say what is missing instead of "command not found". */
    @Reference(optional = true)
    Diagnoser diagnoser;

    /** Optional: without it, only --file works, and the command says why. */
    @Reference(optional = true)
    EvidenceStore store;

    /** The shell session: relative paths are resolved against its current directory. */
    @Reference(optional = true)
    Session session;

    @Argument(index = 0, name = "account", required = false,
            description = "Account or grant id, or email address (case-insensitive): diagnoses what is "
                    + "stored for it")
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
        if (file == null && account == null) {
            throw new CommandException("Nothing to diagnose: give an account id or email, or --file <bundle.json>.");
        }
        Diagnoser engine = diagnoser;
        if (engine == null) {
            throw new CommandException(ENGINE_DOWN);
        }
        Diagnosis diagnosis = file != null ? diagnoseFile(engine) : diagnoseStored(engine);
        DiagnosisReport.print(diagnosis, out != null ? out : System.out, !noFormat);
        return null;
    }

    private Diagnosis diagnoseStored(Diagnoser engine) throws CommandException {
        EvidenceStore evidenceStore = store;
        if (evidenceStore == null) {
            throw new CommandException(STORE_MISSING);
        }
        String id = account.trim();
        if (id.isEmpty()) {
            throw new CommandException("Nothing to diagnose: the account id or email is blank.");
        }
        Optional<Evidence> evidence;
        try {
            evidence = evidenceStore.evidence(id, Instant.now());
        } catch (EvidenceStore.StoreException e) {
            throw new CommandException("The evidence store failed: " + e.getMessage() + " (details in the log)");
        }
        if (evidence.isEmpty()) {
            throw new CommandException("Unknown account: no account with the id or email '" + id + "' is stored.");
        }
        return engine.diagnose(evidence.get());
    }

    private Diagnosis diagnoseFile(Diagnoser engine) throws CommandException {
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
        try {
            return engine.diagnose(bundle);
        } catch (InvalidEvidenceException e) {
            throw new CommandException("Invalid evidence bundle " + path + ", field " + e.field() + ": " + reason(e));
        }
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
