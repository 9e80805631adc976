package io.synctriage.source.importer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.karaf.shell.support.CommandException;
import org.junit.Rule;
import io.synctriage.engine.internal.EvidenceNormalizer;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ImportCommandTest {

    @Rule
    public TemporaryFolder dir = new TemporaryFolder();

    private final FakeStore store = new FakeStore();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private ImportCommand command(Path file) {
        ImportCommand c = new ImportCommand();
        c.importer = new Importer(new EvidenceNormalizer(Clock.systemUTC()), store, new Importer.Settings(1 << 20, 4096, 1000, 2, 1000, false));
        c.file = file.toString();
        c.out = new PrintStream(output, true, UTF_8);
        c.terminal = false;
        return c;
    }

    private String text() {
        return output.toString(UTF_8);
    }

    @Test
    public void ndjsonByExtensionPrintsCountsAndTheFirst20Rejections() throws Exception {
        String lines = IntStream.rangeClosed(1, 50).mapToObj(i -> i % 2 == 0
                ? "{\"kind\": \"account\", \"id\": \"c" + i + "\"}" : "{\"kind\": \"sync_log\", \"message\": \"x\"}")
                .collect(Collectors.joining("\n"));
        Path file = dir.newFile("evidence.ndjson").toPath();
        Files.writeString(file, lines, UTF_8);
        command(file).execute();
        String out = text();
        assertTrue(out, out.contains("(NDJSON,"));
        assertTrue(out, out.contains("accepted  25"));
        assertTrue(out, out.contains("rejected  25"));
        assertTrue(out, out.contains("Rejected (first 20 of 25):"));
        assertTrue(out, out.contains("  line 1: sync_log: a sync_log record must carry account_id"));
        assertTrue(out, out.contains("  line 39: "));
        assertFalse("only the first 20 are printed: " + out, out.contains("  line 41: "));
        assertEquals(25, store.accounts.size());
    }

    @Test
    public void formatIsSniffedWithoutAnExtension() throws Exception {
        Path ndjson = dir.newFile("export").toPath();
        Files.writeString(ndjson, "{\"kind\": \"account\", \"id\": \"s1\"}\n{\"kind\": \"account\", \"id\": \"s2\"}\n");
        command(ndjson).execute();
        assertTrue(text(), text().contains("(NDJSON,"));
        Path v2List = dir.newFile("accounts-export").toPath();
        Files.writeString(v2List, "[\n {\"id\": \"l1\", \"provider\": \"eas\"},\n {\"id\": \"l2\"}\n]\n");
        command(v2List).execute();
        assertTrue(text(), text().contains("(JSON,"));
        assertEquals(4, store.accounts.size());
    }

    @Test
    public void problemsAreOneLineCommandExceptions() throws Exception {
        Path malformed = dir.newFile("broken.json").toPath();
        Files.writeString(malformed, "{\"accounts\": [");
        try {
            command(malformed).execute();
            fail();
        } catch (CommandException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("Nothing imported:"));
        }
        try {
            command(dir.getRoot().toPath().resolve("missing.ndjson")).execute();
            fail();
        } catch (CommandException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("No such file"));
        }
        ImportCommand noStore = command(malformed);
        noStore.importer = null;
        try {
            noStore.execute();
            fail();
        } catch (CommandException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("evidence store"));
        }
        assertTrue(store.records.isEmpty());
    }

    @Test
    public void progressBarOnATerminalLinesElsewhere() {
        long[] now = {0};
        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        Progress onTerminal = new Progress(new PrintStream(bar, true, UTF_8), 1000, true, () -> now[0]);
        now[0] = 50;
        onTerminal.accept(100);
        assertEquals("throttled", "", bar.toString(UTF_8));
        now[0] = 150;
        onTerminal.accept(500);
        now[0] = 300;
        onTerminal.accept(1000);
        onTerminal.finish(1000);
        String drawn = bar.toString(UTF_8);
        assertTrue(drawn, drawn.startsWith("\r[###############...............]  50%"));
        assertTrue(drawn, drawn.endsWith("100%  1000 B / 1000 B" + System.lineSeparator()));

        ByteArrayOutputStream lines = new ByteArrayOutputStream();
        Progress plain = new Progress(new PrintStream(lines, true, UTF_8), 4L << 20, false, () -> now[0]);
        now[0] += 1000;
        plain.accept(1 << 20);
        assertEquals("only every 5 s", "", lines.toString(UTF_8));
        now[0] += 5000;
        plain.accept(2 << 20);
        plain.finish(4L << 20);
        assertEquals("   50% (2.0 MiB of 4.0 MiB)" + System.lineSeparator(), lines.toString(UTF_8));
        assertFalse(lines.toString(UTF_8).contains("\r"));
    }

    @Test
    public void sniffing() {
        assertEquals("ndjson", FileFormat.sniff("{\"kind\":\"account\",\"id\":\"a\"}\n{\"kind\":\"account\"}".getBytes(UTF_8)));
        assertEquals("json", FileFormat.sniff("{\n \"accounts\": []\n}".getBytes(UTF_8)));
        assertEquals("json", FileFormat.sniff("[{\"id\":\"a\"}]\n".getBytes(UTF_8)));
        assertEquals("json", FileFormat.sniff("{\"accounts\": []}\n\n".getBytes(UTF_8)));
    }
}
