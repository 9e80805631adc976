package io.synctriage.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.karaf.shell.support.CommandException;
import org.junit.Before;
import org.junit.Test;

import io.synctriage.model.EvidenceStore;

public class AccountsCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private FakeStore store;
    private AccountsCommand command;

    @Before
    public void setUp() {
        store = new FakeStore()
                .add("acc-ana", "ana@contoso.com", "office365", "invalid", "2026-11-20T09:01:00Z")
                .add("grant-ben", null, "microsoft", "valid", "2026-11-19T08:00:00Z");
        command = new AccountsCommand();
        command.store = store;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private String run() throws CommandException {
        assertNull(command.execute());
        return out.toString(StandardCharsets.UTF_8);
    }

    private String error() {
        try {
            command.execute();
        } catch (CommandException e) {
            assertEquals("", out.toString(StandardCharsets.UTF_8));
            assertFalse(e.getMessage().contains("\n"));
            return e.getMessage();
        }
        fail("expected a CommandException");
        return null;
    }

    @Test
    public void printsATable() throws CommandException {
        String table = run();
        String[] lines = table.split("\n");
        assertTrue(table, lines[0].matches("ID\\s+[│|] Email\\s+[│|] Provider\\s+[│|] State\\s+[│|] Updated\\s*"));
        assertTrue(table, table.matches("(?s).*acc-ana\\s+[│|] ana@contoso.com\\s+[│|] office365\\s+[│|] invalid\\s+[│|] "
                + "2026-11-20T09:01:00Z.*"));
        assertTrue("a missing email is a dash: " + table, table.matches("(?s).*grant-ben\\s+[│|] -\\s+[│|] microsoft.*"));
        assertEquals(AccountsCommand.DEFAULT_LIMIT, store.lastQuery.limit());
    }

    @Test
    public void noFormatHasNoBorders() throws CommandException {
        command.noFormat = true;
        String table = run();
        assertFalse(table, table.contains("│") || table.contains("|") || table.contains("─"));
        assertTrue(table, table.contains("acc-ana"));
    }

    @Test
    public void filtersGoToTheStore() throws CommandException {
        command.state = "invalid";
        command.domain = "@Contoso.COM";
        command.provider = "microsoft";
        command.limit = 5;
        command.offset = 1;
        run();
        assertEquals("invalid", store.lastQuery.state());
        assertEquals("contoso.com", store.lastQuery.domain());
        assertEquals("microsoft", store.lastQuery.provider());
        assertEquals(5, store.lastQuery.limit());
        assertEquals(1, store.lastQuery.offset());
    }

    @Test
    public void emptyResultSaysSo() throws CommandException {
        command.state = "stopped";
        assertTrue(run().contains("no stored accounts match the filters"));
    }

    @Test
    public void badLimitIsOneLine() {
        command.limit = 0;
        assertTrue(error().startsWith("--limit must be between 1 and"));
        command.limit = 10;
        command.offset = -1;
        assertTrue(error().startsWith("--offset must not be negative"));
    }

    @Test
    public void withoutStoreIsOneLine() {
        command.store = null;
        assertTrue(error().startsWith("The evidence store (feature synctriage-store) is not installed"));
    }

    @Test
    public void aFailingStoreIsOneLine() {
        store.failure = new EvidenceStore.StoreException("database unavailable", null);
        assertEquals("The evidence store failed: database unavailable (details in the log)", error());
    }
}
