package io.synctriage.shell.internal;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.apache.karaf.shell.support.table.ShellTable;

import io.synctriage.model.Account;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.StoredAccount;

/**
 * {@code triage:accounts [--state s] [--domain d] [--provider p] [--limit n] [--offset n]}: the stored accounts,
 * most recently updated first, as a table (the same filters as {@code GET /api/v1/accounts}).
 */
@Service
@Command(scope = "triage", name = "accounts",
        description = "Lists the stored accounts, most recently updated first (filters: state, email domain, provider).")
public class AccountsCommand implements Action {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 10_000;

    @Reference(optional = true)
    EvidenceStore store;

    @Option(name = "-s", aliases = "--state", description = "sync_state / grant_status, e.g. invalid, stopped")
    String state;

    @Option(name = "-d", aliases = "--domain", description = "email domain, e.g. contoso.com")
    String domain;

    @Option(name = "-p", aliases = "--provider",
            description = "provider as stored (office365, gmail, eas…) or family (microsoft, google, imap, eas)")
    String provider;

    @Option(name = "-n", aliases = "--limit", description = "at most this many rows (default 100)")
    int limit = DEFAULT_LIMIT;

    @Option(name = "--offset", description = "skip this many rows (paging)")
    int offset;

    @Option(name = "--no-format", description = "Print the table without borders (for scripts)")
    boolean noFormat;

    /** Where the table goes; null: the session's {@code System.out}. */
    PrintStream out;

    @Override
    public Object execute() throws CommandException {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new CommandException("--limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (offset < 0) {
            throw new CommandException("--offset must not be negative, got " + offset);
        }
        EvidenceStore evidenceStore = store;
        if (evidenceStore == null) {
            throw new CommandException("The evidence store (feature synctriage-store) is not installed or not running: "
                    + "no accounts are stored.");
        }
        List<StoredAccount> accounts;
        try {
            accounts = evidenceStore.accounts(new AccountQuery(blankToNull(state), domain(domain),
                    blankToNull(provider), limit, offset));
        } catch (EvidenceStore.StoreException e) {
            throw new CommandException("The evidence store failed: " + e.getMessage() + " (details in the log)");
        }
        PrintStream stdout = out != null ? out : System.out;
        ShellTable table = new ShellTable();
        table.column("ID");
        table.column("Email");
        table.column("Provider");
        table.column("State");
        table.column("Updated");
        table.emptyTableText("no stored accounts" + (filtered() ? " match the filters" : ""));
        for (StoredAccount stored : accounts) {
            Account a = stored.account();
            table.addRow().addContent(a.id(), orDash(a.email()), orDash(a.provider()), orDash(a.state()),
                    stored.updatedAt() == null ? "-" : stored.updatedAt().toString());
        }
        table.print(stdout, !noFormat);
        return null;
    }

    private boolean filtered() {
        return blankToNull(state) != null || blankToNull(domain) != null || blankToNull(provider) != null || offset > 0;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** {@code @contoso.com} and {@code contoso.com} name the same domain. */
    private static String domain(String value) {
        String d = blankToNull(value);
        if (d != null && d.startsWith("@")) {
            d = blankToNull(d.substring(1));
        }
        return d == null ? null : d.toLowerCase(Locale.ROOT);
    }

    private static String orDash(String value) {
        return value == null || value.isBlank() ? "-" : value;
    }
}
