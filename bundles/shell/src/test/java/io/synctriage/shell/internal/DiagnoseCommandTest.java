package io.synctriage.shell.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.reflect.Proxy;
import java.util.Map;

import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.CommandException;

public class DiagnoseCommandTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private FakeDiagnoser engine;
    private DiagnoseCommand command;
    private Path bundle;

    @Before
    public void setUp() throws IOException {
        engine = new FakeDiagnoser();
        command = new DiagnoseCommand();
        command.diagnoser = engine;
        command.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        bundle = tmp.getRoot().toPath().resolve("bundle.json");
        try (InputStream in = getClass().getResourceAsStream("/bundle-ca-signin.json")) {
            Files.copy(in, bundle, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private String run() throws CommandException {
        assertNull(command.execute());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Runs the command expecting a failure; returns its message. */
    private String fail() {
        try {
            command.execute();
        } catch (CommandException e) {
            assertEquals("nothing printed besides the error", "", out.toString(StandardCharsets.UTF_8));
            return e.getMessage();
        }
        throw new AssertionError("expected a CommandException; printed: " + out.toString(StandardCharsets.UTF_8));
    }

    private Path write(String name, String content) throws IOException {
        Path file = tmp.getRoot().toPath().resolve(name);
        Files.writeString(file, content);
        return file;
    }

    private String assertOneLineError(String expectedStart) {
        String text = fail();
        assertTrue(text, text.startsWith(expectedStart));
        assertFalse("one line: " + text, text.contains("\n"));
        return text;
    }

    @Test
    public void printsTheReport() throws CommandException {
        command.file = bundle.toString();

        String report = run();
        System.out.println(report);

        assertTrue(report, report.startsWith(
                "Account      q4r8m2t6v1x9z3b7c5d0f2g4h <frida@fjordsoft.example>\n"
                        + "State        invalid since 2026-10-05T07:45:00Z\n"
                        + "Provider     microsoft\n\n"
                        + "CAUSE        CA_SIGNIN_FREQUENCY\n"
                        + "ACTOR        MAIL_ADMIN\n"
                        + "Confidence   0.90\n\n"
                        + "Summary\n  The tenant's sign-in frequency policy expired the token after a day.\n\n"
                        + "Remediation (for MAIL_ADMIN)\n"
                        + "  1. Exempt the sync application from the sign-in frequency policy.\n"
                        + "  2. Have the user re-authenticate the account.\n\n"
                        + "Evidence\n"
                        + "  2026-10-05T07:41:10Z  auth_log  AADSTS70043: The refresh token has expired (sign-in "
                        + "frequency).\n"
                        + "  2026-10-05T07:45:00Z  webhooks  account.invalid\n\n"
                        + "Alternatives\n"
                        + "  DOMAIN_SESSION_POLICY            0.35\n\n"
                        + "Missing\n  - api_log\n  - peers\n\n"
                        + "Next steps\n  - Export the tenant's sign-in logs for the user.\n\n"
                        + "Checks       microsoft: io.synctriage.provider.microsoft 0.1.0\n\n"
                        + "Trace\n"));
        assertTrue(report, report.matches("(?s).*S1_APP_REVOKED\\s+[│|] no\\s+[│|] no revoke call before the state change.*"));
        assertTrue(report, report.matches("(?s).*MS_AADSTS_CODE\\s+[│|] yes\\s+[│|] AADSTS70043 is the sign-in frequency code.*"));
        String authTypeRow = report.lines().filter(l -> l.startsWith("S4_AUTH_TYPE")).findFirst().orElseThrow();
        String detail = authTypeRow.substring(authTypeRow.indexOf("OAuth: "));
        assertTrue("the 157-character detail is capped: " + detail,
                detail.length() <= DiagnosisReport.DETAIL_MAX && detail.length() > DiagnosisReport.DETAIL_MAX - 5);
        // The engine got the file as plain values.
        assertEquals("invalid", ((Map<?, ?>) engine.lastBundle.get("account")).get("sync_state"));
        assertEquals(Integer.valueOf(1791186300), ((Map<?, ?>) ((java.util.List<?>) engine.lastBundle.get("webhooks"))
                .get(0)).get("date"));
    }

    @Test
    public void noFormatPrintsThePlainTable() throws CommandException {
        command.file = bundle.toString();
        command.noFormat = true;

        String report = run();

        assertFalse(report, report.contains("│") || report.contains("|") || report.contains("-+-"));
        // Karaf pads cells even without format; the separator is a tab.
        assertTrue(report, report.matches("(?s).*\nS1_APP_REVOKED *\tno *\tno revoke call before the state change\n.*"));
        assertTrue(report, report.matches("(?s).*\nS3_SAME_TIME *\tskipped\tneeds peers\n.*"));
    }

    @Test
    public void undeterminedSaysThereIsNoActor() throws CommandException {
        engine.answer = FakeDiagnoser::undetermined;
        command.file = bundle.toString();

        String report = run();

        assertTrue(report, report.contains("CAUSE        UNDETERMINED\n"));
        assertTrue(report, report.contains("ACTOR        none: the cause is undetermined\n"));
        assertTrue(report, report.contains("Remediation\n  none\n"));
        assertTrue(report, report.contains("Evidence\n  none\n"));
        assertTrue(report, report.contains("Next steps\n  none\n"));
        assertTrue(report, report.contains(
                "Checks       none: no provider check bundle for eas is active, only the generic steps ran\n"));
    }

    @Test
    public void relativePathsResolveAgainstTheSessionDirectory() throws Exception {
        Path sub = Files.createDirectories(tmp.getRoot().toPath().resolve("cases"));
        Files.copy(bundle, sub.resolve("frida.json"));
        command.session = (Session) Proxy.newProxyInstance(Session.class.getClassLoader(),
                new Class<?>[] {Session.class}, (proxy, method, args) -> {
                    if (method.getName().equals("currentDir") && (args == null || args.length == 0)) {
                        return tmp.getRoot().toPath();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        command.file = "cases/../cases/frida.json";

        assertTrue(run().contains("CAUSE        CA_SIGNIN_FREQUENCY"));
    }

    @Test
    public void duplicateKeysAndTrailingTextAreMalformed() throws IOException {
        command.file = write("dup.json", "{\"account\": {\"id\": \"a1\", \"id\": \"a2\"}}").toString();
        String error = assertOneLineError("Malformed JSON in ");
        assertTrue(error, error.contains("Duplicate field 'id'"));

        command.file = write("trailing.json", "{\"account\": {\"id\": \"a1\"}}\n}").toString();
        error = assertOneLineError("Malformed JSON in ");
        assertTrue(error, error.contains("at line 2, column 1"));
    }

    @Test
    public void missingFileIsOneLine() {
        command.file = tmp.getRoot().toPath().resolve("nope.json").toString();
        String error = assertOneLineError("File not found: ");
        assertTrue(error.contains("nope.json"));
    }

    @Test
    public void directoryIsOneLine() {
        command.file = tmp.getRoot().toString();
        assertOneLineError("Not a file but a directory: ");
    }

    @Test
    public void malformedJsonGivesLineAndColumn() throws IOException {
        command.file = write("broken.json", "{\n  \"account\": {\"id\": \"a1\",}\n}").toString();
        String error = assertOneLineError("Malformed JSON in ");
        assertTrue(error, error.contains("broken.json at line 2, column 26: "));
    }

    @Test
    public void notAnObjectIsOneLine() throws IOException {
        command.file = write("array.json", "[{\"account\": {\"id\": \"a1\"}}]").toString();
        String error = assertOneLineError("");
        assertTrue(error, error.contains("is not an evidence bundle: expected a JSON object, found an array"));
    }

    @Test
    public void emptyFileIsOneLine() throws IOException {
        command.file = write("empty.json", " \n").toString();
        assertOneLineError("File is empty: ");
    }

    @Test
    public void invalidEvidenceNamesTheField() throws IOException {
        command.file = write("noid.json", "{\"account\": {\"email\": \"a@b.example\"}}").toString();
        String error = assertOneLineError("Invalid evidence bundle ");
        assertTrue(error, error.contains("noid.json, field account.id: is required"));
    }

    @Test
    public void storedDiagnosisNeedsTheEvidenceStore() {
        command.account = "frida@fjordsoft.example";
        String error = assertOneLineError("The evidence store (feature synctriage-store) is not installed");
        assertTrue(error, error.contains("triage:diagnose --file <bundle.json>"));
    }

    @Test
    public void storedDiagnosisPrintsTheSameReportAsTheFile() throws Exception {
        command.file = bundle.toString();
        String fromFile = run();
        out.reset();

        FakeStore store = new FakeStore().add("q4r8m2t6v1x9z3b7c5d0f2g4h", "frida@fjordsoft.example", "office365",
                "invalid", "2026-10-05T07:45:00Z");
        for (String id : new String[] {"q4r8m2t6v1x9z3b7c5d0f2g4h", "FRIDA@fjordsoft.example"}) {
            DiagnoseCommand stored = new DiagnoseCommand();
            stored.diagnoser = engine;
            stored.store = store;
            stored.out = command.out;
            stored.account = id;
            assertNull(stored.execute());
            assertEquals("by " + id, fromFile, out.toString(StandardCharsets.UTF_8));
            out.reset();
        }
    }

    @Test
    public void unknownStoredAccountIsOneLine() {
        command.store = new FakeStore();
        command.account = "nobody@fjordsoft.example";
        assertOneLineError("Unknown account: no account with the id or email 'nobody@fjordsoft.example' is stored.");
    }

    @Test
    public void aFailingStoreIsOneLine() {
        FakeStore store = new FakeStore();
        store.failure = new io.synctriage.model.EvidenceStore.StoreException("database unavailable", null);
        command.store = store;
        command.account = "acc-1";
        assertOneLineError("The evidence store failed: database unavailable");
    }

    @Test
    public void accountAndFileTogetherAreRefused() {
        command.account = "acc-1";
        command.file = bundle.toString();
        assertOneLineError("Give either an account or --file, not both.");
    }

    @Test
    public void nothingToDiagnose() {
        assertOneLineError("Nothing to diagnose: give an account id or email, or --file <bundle.json>.");
    }

    @Test
    public void withoutEngine() {
        command.diagnoser = null;
        command.file = bundle.toString();
        assertOneLineError(DiagnoseCommand.ENGINE_DOWN);
    }

    @Test
    public void defaultsToSystemOut() throws CommandException {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            command.out = null;
            command.file = new File(bundle.toString()).getPath();
            command.execute();
        } finally {
            System.setOut(original);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("CAUSE        CA_SIGNIN_FREQUENCY"));
    }
}
