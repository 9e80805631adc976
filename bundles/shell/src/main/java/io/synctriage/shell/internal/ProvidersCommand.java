package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

import io.synctriage.model.Diagnoser;
import io.synctriage.model.ProviderInfo;

/** {@code triage:providers}: the provider check bundles active now, with their versions and checks. */
@Service
@Command(scope = "triage", name = "providers",
        description = "Lists the provider check bundles active now, with their versions and the checks they run.")
public class ProvidersCommand implements Action {

    static final String NONE_ACTIVE = "No provider check bundles are active: only the generic steps S1–S4 run. "
            + "Install e.g. feature synctriage-provider-microsoft.";

    @Reference(optional = true)
    Diagnoser diagnoser;

    @Option(name = "--no-format", description = "Print the table without borders (for scripts)")
    boolean noFormat;

    /** Where the table goes; null: the session's {@code System.out}. */
    PrintStream out;

    /** Prints the table; without an engine, fails with a one-line {@link CommandException} (exit status 1). */
    @Override
    public Object execute() throws CommandException {
        PrintStream stdout = out != null ? out : System.out;
        Diagnoser engine = diagnoser;
        if (engine == null) {
            throw new CommandException(DiagnoseCommand.ENGINE_DOWN);
        }
        List<ProviderInfo> providers = engine.providers();
        if (providers.isEmpty()) {
            stdout.println(NONE_ACTIVE);
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Family");
        table.column("Bundle");
        table.column("Version");
        table.column("Checks");
        for (ProviderInfo provider : providers) {
            table.addRow().addContent(provider.family(), provider.bundle(), provider.version(),
                    String.join(", ", provider.checks()));
        }
        table.print(stdout, !noFormat);
        return null;
    }
}
