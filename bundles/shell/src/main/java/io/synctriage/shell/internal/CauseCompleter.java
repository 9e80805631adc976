package io.synctriage.shell.internal;

import java.util.Arrays;
import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

import io.synctriage.model.Cause;

/** Completes {@code --cause} with the codes of the cause catalogue (case-insensitively: {@code admin<TAB>}). */
@Service
public class CauseCompleter implements Completer {

    private static final StringsCompleter CAUSES = new StringsCompleter(
            Arrays.stream(Cause.values()).map(Enum::name).toList(), false);

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        return CAUSES.complete(session, commandLine, candidates);
    }
}
