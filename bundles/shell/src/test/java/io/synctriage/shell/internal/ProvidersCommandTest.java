package io.synctriage.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.Before;
import org.junit.Test;

import org.apache.karaf.shell.support.CommandException;

import io.synctriage.model.ProviderInfo;

public class ProvidersCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private FakeDiagnoser engine;
    private ProvidersCommand command;

    @Before
    public void setUp() throws CommandException {
        engine = new FakeDiagnoser();
        command = new ProvidersCommand();
        command.diagnoser = engine;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
    }

    private String run() throws CommandException {
        command.execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    public void listsTheActiveProviderBundles() throws CommandException {
        engine.providers = List.of(
                new ProviderInfo("eas", "io.synctriage.provider.eas", "0.1.0", List.of("EAS_STATUS", "EAS_POLICY")),
                new ProviderInfo("microsoft", "io.synctriage.provider.microsoft", "0.2.1", List.of("MS_AADSTS_CODE")));

        String table = run();
        System.out.println(table);

        String[] lines = table.split("\n");
        assertTrue(table, lines[0].matches("Family\\s+[│|] Bundle\\s+[│|] Version [│|] Checks\\s*"));
        assertTrue(table, table.matches(
                "(?s).*eas\\s+[│|] io.synctriage.provider.eas\\s+[│|] 0.1.0\\s+[│|] EAS_STATUS, EAS_POLICY.*"));
        assertTrue(table, table.matches(
                "(?s).*microsoft\\s+[│|] io.synctriage.provider.microsoft\\s+[│|] 0.2.1\\s+[│|] MS_AADSTS_CODE.*"));
        assertEquals("header, rule, two rows: " + table, 4, table.strip().split("\n").length);
    }

    @Test
    public void noFormatIsTabSeparated() throws CommandException {
        engine.providers = List.of(
                new ProviderInfo("google", "io.synctriage.provider.google", "0.1.0", List.of("G_TOKEN", "G_IMAP")));
        command.noFormat = true;

        String table = run();

        assertFalse(table, table.contains("│") || table.contains("|"));
        assertEquals("google\tio.synctriage.provider.google\t0.1.0  \tG_TOKEN, G_IMAP\n", table);
    }

    @Test
    public void saysSoWhenNoProviderIsActive() throws CommandException {
        assertEquals("No provider check bundles are active: only the generic steps S1–S4 run. "
                + "Install e.g. feature synctriage-provider-microsoft.\n", run());
    }

    @Test
    public void failsInOneLineWithoutEngine() {
        command.diagnoser = null;
        try {
            command.execute();
            fail("expected a CommandException");
        } catch (CommandException e) {
            assertEquals(DiagnoseCommand.ENGINE_DOWN, e.getMessage());
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
