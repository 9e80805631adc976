package io.synctriage.source.importer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.Test;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.Account;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.EvidenceStore;

public class EvidenceImporterTest {

    private final FakeStore store = new FakeStore();

    private Importer importer(int batchSize, int maxLineBytes) {
        return new Importer(new EvidenceNormalizer(Clock.systemUTC()), store,
                new Importer.Settings(64L * 1024 * 1024, maxLineBytes, batchSize, 2, 1000, false));
    }

    private ImportReport ndjson(Importer importer, String text) throws IOException {
        ImportReport report = importer.newReport("ndjson");
        importer.ndjson(new ByteArrayInputStream(text.getBytes(UTF_8)), report, b -> { });
        return report;
    }

    private ImportReport ndjson(String text) throws IOException {
        return ndjson(importer(1000, 1024 * 1024), text);
    }

    private ImportReport json(String text) throws Exception {
        Importer importer = importer(1000, 1024 * 1024);
        ImportReport report = importer.newReport("json");
        byte[] bytes = text.getBytes(UTF_8);
        importer.json(() -> new ByteArrayInputStream(bytes), report, b -> { });
        return report;
    }

    private EvidenceImporter.UnusableBodyException unusable(String text) throws Exception {
        try {
            json(text);
        } catch (EvidenceImporter.UnusableBodyException e) {
            return e;
        }
        throw new AssertionError("expected the body to be refused: " + text);
    }

    private static String errors(ImportReport report) {
        return report.rejected().stream().map(ImportReport.Rejection::describe).collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------------------------ JSON object

    @Test
    public void jsonObjectWithEveryEvidenceArray() throws Exception {
        ImportReport report = json("""
                {
                  "accounts": [
                    {"id": "acc-1", "email": "ann@contoso.com", "provider": "office365", "sync_state": "invalid"},
                    {"id": "acc-2", "email": "bob@contoso.com", "provider": "eas", "sync_state": "running"}
                  ],
                  "api_log": [
                    {"timestamp": "2026-03-01T10:00:00Z", "method": "post", "path": "/a/cid/accounts/acc-1/revoke-all",
                     "status": 200, "account_id": "acc-1"}
                  ],
                  "sync_log": [{"timestamp": 1772359200, "level": "error", "message": "sync stopped", "email": "bob@contoso.com"}],
                  "auth_log": [{"timestamp": "2026-03-01T10:01:00Z", "error": "invalid_grant", "message": "AADSTS50173: revoked",
                                "account_id": "acc-1"}],
                  "webhooks": [
                    {"deltas": [
                      {"date": 1772359260, "object": "account", "type": "account.invalid",
                       "object_data": {"account_id": "acc-1", "object": "account", "id": "acc-1"}},
                      {"date": 1772359270, "object": "account", "type": "account.stopped",
                       "object_data": {"account_id": "acc-2", "object": "account", "id": "acc-2"}}]},
                    {"specversion": "1.0", "type": "grant.expired", "id": "n-1", "time": 1772359300,
                     "data": {"object": {"grant_id": "g-1", "provider": "google", "email": "cy@fabrikam.com"}}},
                    {"date": 1772359280, "object": "message", "type": "message.created",
                     "object_data": {"account_id": "acc-1", "object": "message", "id": "m-1"}}
                  ]
                }
                """);
        assertEquals(errors(report), 0, report.rejectedCount());
        assertEquals("2 accounts, 1 api_log, 1 sync_log, 1 auth_log, 3 webhook elements", 8, report.accepted());
        assertEquals("the message notification is acknowledged, not kept", 1, report.ignoredCount());
        assertEquals(8, report.stored());
        assertEquals(2, store.all(EvidenceRecord.AccountSnapshot.class).size());
        assertEquals(3, store.all(EvidenceRecord.Notification.class).size());
        EvidenceRecord.ApiLogEntry call = store.all(EvidenceRecord.ApiLogEntry.class).get(0);
        assertEquals("the engine's reader normalises (method upper-cased)", "POST", call.call().method());
        List<EvidenceRecord.LogEntry> logs = store.all(EvidenceRecord.LogEntry.class);
        assertEquals(EvidenceSource.SYNC_LOG, logs.get(0).line().source());
        assertEquals("epoch seconds read by the engine", Instant.parse("2026-03-01T10:00:00Z"), logs.get(0).line().timestamp());
        assertEquals(EvidenceSource.AUTH_LOG, logs.get(1).line().source());
        assertEquals("v3 keyed by notification id", "v3:n-1",
                store.all(EvidenceRecord.Notification.class).get(2).deliveryKey());
        assertEquals("v2 keyed by account + type + date", "v2:acc-1:account.invalid:1772359260",
                store.all(EvidenceRecord.Notification.class).get(0).deliveryKey());
    }

    @Test
    public void jsonRejectionsCarryRecordPathAndLine() throws Exception {
        ImportReport report = json("""
                {"accounts": [
                  {"id": "ok-1", "email": "a@x.org"},
                  {"email": "no-id@x.org"},
                  {"id": "ok-2", "email": "b@x.org"}
                ],
                 "auth_log": [
                  {"timestamp": "2026-03-01T10:00:00Z", "message": "LOGIN failed"}
                 ]}
                """);
        assertEquals("good records are kept", 2, report.accepted());
        assertEquals(2, report.rejectedCount());
        ImportReport.Rejection noId = report.rejected().get(0);
        assertEquals("accounts[1]", noId.record());
        assertEquals(3, noId.line());
        assertTrue(noId.error(), noId.error().contains("accounts[1].id"));
        ImportReport.Rejection anonymous = report.rejected().get(1);
        assertEquals("auth_log[0]", anonymous.record());
        assertEquals(7, anonymous.line());
        assertTrue(anonymous.error(), anonymous.error().contains("account_id") && anonymous.error().contains("email"));
        assertEquals(2, store.accounts.size());
    }

    @Test
    public void malformedJsonDocumentStoresNothing() throws Exception {
        EvidenceImporter.UnusableBodyException e = unusable("""
                {"accounts": [{"id": "a-1"}, {"id": "a-2"}],
                 "api_log": [ {"timestamp": 1, "method": "GET",
                """);
        assertEquals("malformed_json", e.code());
        assertTrue("a line is given", e.line() >= 2);
        assertTrue("nothing of a malformed document is stored", store.records.isEmpty());
    }

    @Test
    public void unusableDocuments() throws Exception {
        assertEquals("empty_body", unusable("   \n ").code());
        assertEquals("wrong_type", unusable("\"accounts\"").code());
        assertEquals("wrong_type", unusable("{\"accounts\": {\"id\": \"x\"}}").code());
        assertEquals("wrong_type", unusable("{\"account\": [1]}").code());
        EvidenceImporter.UnusableBodyException none = unusable("{\"foo\": [1], \"bar\": 2}");
        assertEquals("no_evidence", none.code());
        assertTrue(none.getMessage(), none.getMessage().contains("foo, bar"));
        EvidenceImporter.UnusableBodyException two = unusable("{\"accounts\": []}\n{\"accounts\": []}");
        assertEquals("two documents are not one JSON value", "malformed_json", two.code());
        assertTrue(two.getMessage(), two.getMessage().contains("application/x-ndjson"));
        assertEquals("duplicate keys are ambiguous", "malformed_json",
                unusable("{\"accounts\": [{\"id\": \"a\", \"id\": \"b\"}]}").code());
        assertTrue(store.records.isEmpty());
    }

    @Test
    public void singleAccountAndUnknownFieldsOfABundle() throws Exception {
        ImportReport report = json("""
                {"account": {"id": "solo", "email": "solo@x.org", "provider": "imap"},
                 "peers": [{"id": "p"}], "now": "2026-03-01T00:00:00Z"}
                """);
        assertEquals(1, report.accepted());
        assertEquals(List.of("peers", "now"), report.ignoredFields());
        assertEquals(List.of("peers", "now"), report.toJson().get("ignored_fields"));
        assertEquals("solo", store.all(EvidenceRecord.AccountSnapshot.class).get(0).account().id());
    }

    @Test
    public void v2AccountListExportIsAnArray() throws Exception {
        ImportReport report = json("""
                [
                  {"account_id": "v2a", "billing_state": "paid", "email": "ops@contoso.com", "id": "v2a",
                   "provider": "eas", "sync_state": "running", "trial": false, "authentication_type": "password"},
                  {"account_id": "v2b", "billing_state": "cancelled", "email": "hr@contoso.com", "id": "v2b",
                   "provider": "gmail", "sync_state": "stopped", "trial": false},
                  {"billing_state": "paid", "email": "no-id@contoso.com"}
                ]
                """);
        assertEquals(2, report.accepted());
        assertEquals(1, report.rejectedCount());
        assertEquals("[2]", report.rejected().get(0).record());
        assertEquals(6, report.rejected().get(0).line());
        Account cancelled = store.accounts.get("v2b").account();
        assertEquals("cancelled", cancelled.billingState());
        assertEquals("stopped", cancelled.state());
        assertEquals(2, cancelled.apiVersion());
    }

    @Test
    public void arrayElementsWithAKindAreReadAsThatKind() throws Exception {
        ImportReport report = json("""
                [{"kind": "account", "id": "k1"},
                 {"kind": "auth_log", "account_id": "k1", "message": "AADSTS50133"},
                 {"kind": "bogus", "id": "k2"}]
                """);
        assertEquals(2, report.accepted());
        assertEquals(1, store.all(EvidenceRecord.LogEntry.class).size());
        assertTrue(errors(report), report.rejected().get(0).error().contains("unknown kind bogus"));
    }

    @Test
    public void v3GrantsListIsDetected() throws Exception {
        ImportReport report = json("""
                {"request_id": "5fa64c92-e840-4357-86b9-2aa364d35b88",
                 "data": [
                   {"id": "g-1", "grant_status": "valid", "provider": "google", "email": "a@fabrikam.com",
                    "scope": ["https://www.googleapis.com/auth/gmail.readonly"], "created_at": 1767225600, "updated_at": 1767225600},
                   {"id": "g-2", "grant_status": "invalid", "provider": "microsoft", "email": "b@fabrikam.com", "created_at": 1767225600}
                 ],
                 "next_cursor": "Q2lzY28gU3lzdGVtcw=="}
                """);
        assertEquals(errors(report), 2, report.accepted());
        assertTrue("request_id and next_cursor are the list's own fields", report.ignoredFields().isEmpty());
        Account g2 = store.accounts.get("g-2").account();
        assertEquals(3, g2.apiVersion());
        assertEquals("invalid", g2.state());
        assertEquals(Instant.ofEpochSecond(1767225600), g2.createdAt());
    }

    // ----------------------------------------------------------------------------------------- NDJSON

    @Test
    public void ndjsonRejectsBadLinesWithTheirNumbersAndKeepsTheGoodOnes() throws IOException {
        ImportReport report = ndjson(String.join("\n",
                "{\"kind\": \"account\", \"id\": \"n-1\", \"email\": \"one@contoso.com\", \"provider\": \"office365\"}",
                "{\"kind\": \"account\", \"id\": ",
                "",
                "{\"kind\": \"sync_log\", \"timestamp\": \"2026-03-01T10:00:00Z\", \"message\": \"uidvalidity changed\"}",
                "{\"kind\": \"calendar\", \"id\": \"x\"}",
                "{\"id\": \"no-kind\"}",
                "{\"kind\": \"account\", \"email\": \"nobody@contoso.com\"}",
                "[1, 2]",
                "{\"kind\": \"auth_log\", \"timestamp\": \"2026-03-01T10:02:00Z\", \"error\": \"invalid_grant\", "
                        + "\"message\": \"AADSTS70043\", \"email\": \"one@contoso.com\"}",
                "{\"kind\": \"account\", \"id\": \"n-2\"} trailing"));
        assertEquals(errors(report), 2, report.accepted());
        assertEquals(7, report.rejectedCount());
        List<Long> lines = report.rejected().stream().map(ImportReport.Rejection::line).toList();
        assertEquals(List.of(2L, 4L, 5L, 6L, 7L, 8L, 10L), lines);
        List<String> why = report.rejected().stream().map(ImportReport.Rejection::error).toList();
        assertTrue(why.get(0), why.get(0).startsWith("malformed JSON"));
        assertTrue(why.get(1), why.get(1).contains("must carry account_id") && why.get(1).contains("sync_log"));
        assertTrue(why.get(2), why.get(2).contains("unknown kind \"calendar\""));
        assertTrue(why.get(3), why.get(3).contains("\"kind\" is required"));
        assertTrue(why.get(4), why.get(4).contains("account.id"));
        assertTrue(why.get(5), why.get(5).contains("must be a JSON object"));
        assertTrue(why.get(6), why.get(6).startsWith("malformed JSON"));
        assertEquals(1, store.accounts.size());
        assertEquals("one@contoso.com", store.all(EvidenceRecord.LogEntry.class).get(0).line().email());
        assertNull("NDJSON rejections have a line, no record path", report.rejected().get(0).record());
    }

    @Test
    public void recordsForUnseenAccountsAreAccepted() throws IOException {
        ImportReport report = ndjson("""
                {"kind": "auth_log", "account_id": "never-seen", "timestamp": "2026-03-01T10:02:00Z", "message": "AADSTS50133"}
                {"kind": "api_log", "email": "ghost@contoso.com", "timestamp": "2026-03-01T10:00:00Z", "method": "POST", "path": "/oauth/revoke", "status": 200}
                {"kind": "webhook", "date": 1772359260, "object": "account", "type": "account.invalid", "object_data": {"account_id": "never-seen", "object": "account", "id": "never-seen"}}
                """);
        assertEquals(errors(report), 3, report.accepted());
        assertEquals(3, report.stored());
        assertTrue("no snapshot needed first", store.accounts.isEmpty());
    }

    @Test
    public void crlfBomAndKindAliases() throws IOException {
        ImportReport report = ndjson("\uFEFF{\"kind\": \"grant\", \"id\": \"g\", \"grant_status\": \"valid\"}\r\n"
                + "{\"kind\": \"Accounts\", \"id\": \"h\"}\r\n\r\n   \r\n"
                + "{\"kind\": \"notification\", \"specversion\": \"1.0\", \"type\": \"grant.expired\", \"id\": \"n9\", "
                + "\"time\": 1772359300, \"data\": {\"object\": {\"grant_id\": \"g\"}}}");
        assertEquals(errors(report), 3, report.accepted());
        assertEquals(0, report.rejectedCount());
    }

    @Test
    public void logsAndApiCallsMustNameAnAccountAndApiCallsNeedATime() throws IOException {
        ImportReport report = ndjson("""
                {"kind": "api_log", "timestamp": "2026-03-01T10:00:00Z", "method": "GET", "path": "/a/cid/accounts", "status": 200}
                {"kind": "api_log", "method": "POST", "path": "/oauth/revoke", "account_id": "a1"}
                {"kind": "auth_log", "message": "LOGIN failed"}
                {"kind": "webhook", "date": 1772359260, "object": "account", "type": "account.invalid", "object_data": {"object": "account"}}
                {"kind": "webhook", "object": "account", "type": "account.invalid", "object_data": {"account_id": "a1"}}
                """);
        assertEquals(0, report.accepted());
        List<String> why = report.rejected().stream().map(ImportReport.Rejection::error).toList();
        assertTrue(why.get(0), why.get(0).contains("application-level calls"));
        assertTrue(why.get(1), why.get(1).contains("timestamp") && why.get(1).contains("required"));
        assertTrue(why.get(2), why.get(2).contains("names neither") || why.get(2).contains("must carry account_id"));
        assertTrue(why.get(3), why.get(3).contains("names neither an account/grant id nor an email"));
        assertTrue(why.get(4), why.get(4).contains("no date"));
        assertTrue(store.records.isEmpty());
    }

    @Test
    public void batchesAreCutAtTheConfiguredSize() throws IOException {
        Importer importer = importer(3, 1024);
        String lines = IntStream.rangeClosed(1, 7)
                .mapToObj(i -> "{\"kind\": \"account\", \"id\": \"b" + i + "\"}").collect(Collectors.joining("\n"));
        ImportReport report = ndjson(importer, lines + "\n");
        assertEquals(7, report.accepted());
        assertEquals(List.of(3, 3, 1), store.callSizes);
    }

    @Test
    public void aDeliveryWithSeveralDeltasStaysInOneBatch() throws IOException {
        Importer importer = importer(2, 4096);
        ImportReport report = ndjson(importer, """
                {"kind": "account", "id": "d0"}
                {"kind": "webhook", "deltas": [{"date": 1772359260, "type": "account.invalid", "object_data": {"account_id": "d1"}}, {"date": 1772359261, "type": "account.invalid", "object_data": {"account_id": "d2"}}, {"date": 1772359262, "type": "account.invalid", "object_data": {"account_id": "d3"}}]}
                {"kind": "account", "id": "d4"}
                """);
        assertEquals(3, report.accepted());
        assertEquals("a record's notifications are never split over two transactions", List.of(4, 1), store.callSizes);
    }

    @Test
    public void aStoreRefusalRejectsOnlyThatRecord() throws IOException {
        store.refuse = r -> r instanceof EvidenceRecord.AccountSnapshot s && s.account().id().equals("bad");
        ImportReport report = ndjson(importer(10, 4096), """
                {"kind": "account", "id": "good-1"}
                {"kind": "account", "id": "bad"}
                {"kind": "account", "id": "good-2"}
                """);
        assertEquals(2, report.accepted());
        assertEquals(1, report.rejectedCount());
        assertEquals(2, report.rejected().get(0).line());
        assertTrue(report.rejected().get(0).error().startsWith("refused by the evidence store"));
        assertEquals(List.of("good-1", "good-2"), List.copyOf(store.accounts.keySet()));
    }

    @Test
    public void aDatabaseFailureStopsTheImportAndCountsWhatWasCommitted() throws IOException {
        store.failAfterCalls = 1;
        Importer importer = importer(2, 4096);
        ImportReport report = importer.newReport("ndjson");
        String lines = IntStream.rangeClosed(1, 5)
                .mapToObj(i -> "{\"kind\": \"account\", \"id\": \"f" + i + "\"}").collect(Collectors.joining("\n"));
        try {
            importer.ndjson(new ByteArrayInputStream(lines.getBytes(UTF_8)), report, b -> { });
            fail("the store failure must propagate");
        } catch (EvidenceStore.StoreException expected) {
            assertEquals("the first batch was committed", 2, report.accepted());
            assertEquals(2, store.accounts.size());
        }
    }

    @Test
    public void duplicateDeliveriesAreStoredOnce() throws IOException {
        String delta = "{\"kind\": \"webhook\", \"date\": 1772359260, \"object\": \"account\", \"type\": \"account.invalid\", "
                + "\"object_data\": {\"account_id\": \"dup\", \"object\": \"account\", \"id\": \"dup\"}}\n";
        ImportReport first = ndjson(delta + delta);
        assertEquals(2, first.accepted());
        assertEquals(1, first.stored());
        assertEquals(1, first.duplicates());
        ImportReport again = ndjson(delta);
        assertEquals(1, again.accepted());
        assertEquals(0, again.stored());
        assertEquals(1, again.duplicates());
        assertEquals(1, store.all(EvidenceRecord.Notification.class).size());
    }

    @Test
    public void aLineOverTheLimitIsRejectedAloneAndNotBuffered() throws IOException {
        String big = "{\"kind\": \"auth_log\", \"account_id\": \"x\", \"message\": \"" + "y".repeat(500) + "\"}";
        ImportReport report = ndjson(importer(1000, 200), "{\"kind\": \"account\", \"id\": \"before\"}\n" + big
                + "\n{\"kind\": \"account\", \"id\": \"after\"}\n" + big);
        assertEquals(2, report.accepted());
        assertEquals(List.of(2L, 4L), report.rejected().stream().map(ImportReport.Rejection::line).toList());
        assertTrue(report.rejected().get(0).error().contains("longer than 200 bytes"));
    }

    @Test
    public void aLargeStreamIsImportedInBoundedBatches() throws IOException {
        int lines = 25_000;
        // Generated on the fly: the test never holds the whole input either.
        InputStream in = new SequenceInputStream(Collections.enumeration(IntStream.range(0, lines)
                .mapToObj(i -> (InputStream) new ByteArrayInputStream(("{\"kind\": \"sync_log\", \"account_id\": \"acc-"
                        + (i % 300) + "\", \"timestamp\": " + (1772359260 + i) + ", \"message\": \"FolderSync OK\"}\n")
                        .getBytes(UTF_8))).toList()));
        Importer importer = importer(1000, 4096);
        ImportReport report = importer.newReport("ndjson");
        long[] lastProgress = {0};
        importer.ndjson(in, report, b -> lastProgress[0] = b);
        assertEquals(lines, report.accepted());
        assertEquals(25, store.callSizes.size());
        assertTrue(store.callSizes.stream().allMatch(s -> s == 1000));
        assertTrue("progress reports bytes", lastProgress[0] > lines * 50L);
    }

    @Test
    public void rejectedListIsCappedButCounted() throws IOException {
        Importer importer = new Importer(new EvidenceNormalizer(Clock.systemUTC()), store, new Importer.Settings(1 << 20, 4096, 100, 1, 3, false));
        ImportReport report = ndjson(importer, "x\n".repeat(10));
        assertEquals(10, report.rejectedCount());
        assertEquals(3, report.rejected().size());
        assertEquals(Boolean.TRUE, report.toJson().get("rejected_truncated"));
        assertFalse(ndjson(importer, "").toJson().containsKey("rejected_truncated"));
    }
}
