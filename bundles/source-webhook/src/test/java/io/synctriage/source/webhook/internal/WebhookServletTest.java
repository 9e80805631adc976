package io.synctriage.source.webhook.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;

public class WebhookServletTest {

    static final String CLIENT_SECRET = "v2-client-secret-4f1c9a";
    static final String WEBHOOK_SECRET = "v3-webhook-secret-7be02d";

    /** Three accounts of one domain, invalid within minutes (epoch 1795165260 = 2026-11-20T09:01:00Z). */
    static final String V2_BATCH = "{\"deltas\":["
            + delta("account.invalid", 1795165260L, "acc-one")
            + "," + delta("account.invalid", 1795165320L, "acc-two")
            + "," + delta("account.stopped", 1795165380L, "acc-three") + "]}";

    static final String V3_EXPIRED = "{\"specversion\":\"1.0\",\"type\":\"grant.expired\","
            + "\"source\":\"/nylas/system\",\"id\":\"ntf-5521\",\"time\":1795165260,"
            + "\"data\":{\"application_id\":\"app-1\",\"object\":{\"code\":25009,\"grant_id\":\"grant-77\","
            + "\"integration_id\":\"int-1\",\"provider\":\"microsoft\",\"email\":\"lena.fischer@brightwater.io\","
            + "\"grant_updated_at\":1795100000}}}";

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private FakeStore store;
    private WebhookServlet servlet;

    static String delta(String type, long date, String accountId) {
        return "{\"date\":" + date + ",\"object\":\"account\",\"type\":\"" + type + "\",\"object_data\":"
                + "{\"namespace_id\":\"" + accountId + "\",\"account_id\":\"" + accountId + "\",\"object\":\"account\","
                + "\"attributes\":null,\"id\":\"" + accountId + "\",\"metadata\":null}}";
    }

    @Before
    public void setUp() {
        store = new FakeStore();
        servlet = new WebhookServlet(WebhookSettings.of(CLIENT_SECRET, WEBHOOK_SECRET, 64 * 1024, 30));
        servlet.store().set(store);
        servlet.reader().set(new EvidenceNormalizer(Clock.systemUTC()));
    }

    // ---------------------------------------------------------------------------------------------- fakes

    /** A signed POST. */
    private Res post(String body, String signature) throws IOException {
        return post(body.getBytes(StandardCharsets.UTF_8), signature, Map.of());
    }

    private Res post(byte[] body, String signature, Map<String, String> headers) throws IOException {
        HttpServletRequest request = mock(HttpServletRequest.class);
        Map<String, String> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER); // as every servlet container
        all.putAll(headers);
        if (signature != null) {
            all.put("x-nylas-signature", signature); // lower case, as Nylas v3 sends it
        }
        when(request.getMethod()).thenReturn("POST");
        when(request.getContentType()).thenReturn("application/json");
        when(request.getContentLengthLong()).thenReturn((long) body.length);
        when(request.getHeader(anyString())).thenAnswer(i -> all.get(i.<String>getArgument(0)));
        when(request.getRemoteAddr()).thenReturn("192.0.2.10");
        InputStream in = new ByteArrayInputStream(body);
        when(request.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() throws IOException {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return false;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
                throw new UnsupportedOperationException();
            }
        });
        Res response = new Res();
        servlet.service(request, response.mock);
        return response;
    }

    private Res get(String method, String challenge) throws IOException {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getParameter("challenge")).thenReturn(challenge);
        Res response = new Res();
        servlet.service(request, response.mock);
        return response;
    }

    private static String signV2(String body) {
        return Signatures.sign(CLIENT_SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String signV3(String body) {
        return Signatures.sign(WEBHOOK_SECRET, body.getBytes(StandardCharsets.UTF_8));
    }

    /** A response that records what was written. */
    static final class Res {
        final HttpServletResponse mock = mock(HttpServletResponse.class);
        int status = 200;
        String contentType;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Res() throws IOException {
            doAnswer(i -> {
                status = i.getArgument(0);
                return null;
            }).when(mock).setStatus(anyInt());
            doAnswer(i -> headers.put(i.getArgument(0), i.getArgument(1))).when(mock).setHeader(anyString(), anyString());
            doAnswer(i -> {
                contentType = i.getArgument(0);
                return null;
            }).when(mock).setContentType(anyString());
            when(mock.getOutputStream()).thenReturn(new ServletOutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                    throw new UnsupportedOperationException();
                }
            });
        }

        String text() {
            return body.toString(StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return PLAIN.readTree(body.toByteArray());
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + text(), e);
            }
        }
    }

    private static void assertError(Res response, int status, String code) {
        assertEquals(response.text(), status, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals(response.text(), code, response.json().path("error").asText());
        assertTrue("a message for a person: " + response.text(), response.json().path("message").asText().length() > 10);
        assertFalse("never a secret in an answer: " + response.text(),
                response.text().contains(CLIENT_SECRET) || response.text().contains(WEBHOOK_SECRET));
    }

    private void assertNothingStored() {
        assertEquals("the store was not called", 0, store.calls);
        assertTrue(store.stored.isEmpty());
    }

    private static void assertStored(Res response, int stored, int duplicates, int ignored) {
        assertEquals(response.text(), 200, response.status);
        JsonNode body = response.json();
        assertEquals(response.text(), stored, body.path("stored").asInt(-1));
        assertEquals(response.text(), duplicates, body.path("duplicates").asInt(-1));
        assertEquals(response.text(), ignored, body.path("ignored").asInt(-1));
    }

    // ---------------------------------------------------------------------------------------------- handshake

    @Test
    public void challengeIsEchoedExactly() throws IOException {
        Res response = get("GET", "x7Kq-9_challenge value");
        assertEquals(200, response.status);
        assertEquals("text/plain;charset=UTF-8", response.contentType);
        assertEquals("x7Kq-9_challenge value", response.text());
        assertEquals("nosniff", response.headers.get("X-Content-Type-Options"));
    }

    @Test
    public void getWithoutChallengeIs400() throws IOException {
        assertError(get("GET", null), 400, "missing_challenge");
        assertError(get("GET", ""), 400, "missing_challenge");
        assertError(get("GET", "c".repeat(WebhookServlet.MAX_CHALLENGE_LENGTH + 1)), 400, "invalid_challenge");
    }

    @Test
    public void otherMethodsAre405() throws IOException {
        Res response = get("PUT", null);
        assertError(response, 405, "method_not_allowed");
        assertEquals("GET, POST", response.headers.get("Allow"));
    }

    // --------------------------------------------------------------------------------------------- signatures

    @Test
    public void v2BatchSignedWithClientSecretStoresEveryDelta() throws IOException {
        Res response = post(V2_BATCH, signV2(V2_BATCH));
        assertStored(response, 3, 0, 0);
        List<EvidenceRecord.Notification> stored = store.notifications();
        assertEquals(3, stored.size());
        assertEquals(List.of("acc-one", "acc-two", "acc-three"),
                stored.stream().map(n -> n.event().accountId()).toList());
        assertEquals(List.of("account.invalid", "account.invalid", "account.stopped"),
                stored.stream().map(n -> n.event().type()).toList());
        assertEquals(Instant.parse("2026-11-20T09:01:00Z"), stored.get(0).event().timestamp());
        assertEquals("v2:acc-one:account.invalid:1795165260", stored.get(0).deliveryKey());
        assertEquals(3, stored.stream().map(EvidenceRecord.Notification::deliveryKey).distinct().count());
        assertEquals("one transaction for the whole batch", 1, store.calls);
    }

    @Test
    public void v3NotificationSignedWithWebhookSecretIsStored() throws IOException {
        Res response = post(V3_EXPIRED, signV3(V3_EXPIRED));
        assertStored(response, 1, 0, 0);
        EvidenceRecord.Notification stored = store.notifications().get(0);
        assertEquals("v3:ntf-5521", stored.deliveryKey());
        AccountEvent event = stored.event();
        assertEquals("grant.expired", event.type());
        assertEquals("grant-77", event.accountId());
        assertEquals("lena.fischer@brightwater.io", event.email());
        assertEquals("microsoft", event.provider());
        assertEquals(Instant.parse("2026-11-20T09:01:00Z"), event.timestamp());
    }

    @Test
    public void eitherSecretSignsEitherVersion() throws IOException {
        // Which secret signs depends on the Nylas API version of the webhook, not on the body's shape.
        assertStored(post(V3_EXPIRED, signV2(V3_EXPIRED)), 1, 0, 0);
        assertStored(post(V2_BATCH, signV3(V2_BATCH)), 3, 0, 0);
    }

    @Test
    public void upperCaseHexIsAccepted() throws IOException {
        assertStored(post(V3_EXPIRED, signV3(V3_EXPIRED).toUpperCase()), 1, 0, 0);
    }

    @Test
    public void missingSignatureIs401AndNothingIsStored() throws IOException {
        assertError(post(V2_BATCH, null), 401, "missing_signature");
        assertError(post(V2_BATCH, "  "), 401, "missing_signature");
        assertNothingStored();
    }

    @Test
    public void wrongKeyIs401AndNothingIsStored() throws IOException {
        assertError(post(V2_BATCH, Signatures.sign("someone-elses-secret", V2_BATCH.getBytes(StandardCharsets.UTF_8))),
                401, "invalid_signature");
        assertNothingStored();
    }

    @Test
    public void malformedSignatureIs401() throws IOException {
        String good = signV2(V2_BATCH);
        assertError(post(V2_BATCH, good.substring(1)), 401, "invalid_signature");
        assertError(post(V2_BATCH, "z" + good.substring(1)), 401, "invalid_signature");
        assertError(post(V2_BATCH, "sha256=" + good), 401, "invalid_signature");
        assertNothingStored();
    }

    @Test
    public void bodyTamperedAfterSigningIs401() throws IOException {
        String signature = signV2(V2_BATCH);
        String tampered = V2_BATCH.replace("acc-three", "acc-thref");
        assertError(post(tampered, signature), 401, "invalid_signature");
        // Even a change that means the same JSON (a blank added) breaks the signature: it covers the raw bytes.
        assertError(post(V2_BATCH + " ", signature), 401, "invalid_signature");
        assertNothingStored();
    }

    @Test
    public void withoutSecretsEveryPostIs401WithAHint() throws IOException {
        servlet.configure(WebhookSettings.of("", " ", 64 * 1024, 30));
        Res response = post(V2_BATCH, "ab".repeat(32));
        assertError(response, 401, "webhook_not_configured");
        assertTrue(response.text(), response.text().contains("client.secret")
                && response.text().contains("webhook.secret") && response.text().contains("io.synctriage.webhook.cfg"));
        assertNothingStored();
    }

    @Test
    public void anEmptySecretIsNotAKey() throws IOException {
        servlet.configure(WebhookSettings.of("", WEBHOOK_SECRET, 64 * 1024, 30));
        assertError(post(V2_BATCH, "ab".repeat(32)), 401,
                "invalid_signature");
        assertError(post(V2_BATCH, signV2(V2_BATCH)), 401, "invalid_signature");
        assertStored(post(V2_BATCH, signV3(V2_BATCH)), 3, 0, 0);
    }

    @Test
    public void aChangedSecretAppliesAtOnce() throws IOException {
        servlet.configure(WebhookSettings.of("rotated-client-secret", WEBHOOK_SECRET, 64 * 1024, 30));
        assertError(post(V2_BATCH, signV2(V2_BATCH)), 401, "invalid_signature");
        assertStored(post(V2_BATCH, Signatures.sign("rotated-client-secret", V2_BATCH.getBytes(StandardCharsets.UTF_8))),
                3, 0, 0);
    }

    @Test
    public void secretsAreNotInToString() {
        String text = WebhookSettings.of(CLIENT_SECRET, WEBHOOK_SECRET, 1, 1).toString();
        assertFalse(text, text.contains(CLIENT_SECRET) || text.contains(WEBHOOK_SECRET));
    }

    // ---------------------------------------------------------------------------------------------- content

    @Test
    public void otherTriggersAreAcknowledgedAndIgnored() throws IOException {
        String body = "{\"deltas\":[{\"date\":1795165260,\"object\":\"message\",\"type\":\"message.created\","
                + "\"object_data\":{\"account_id\":\"acc-one\",\"object\":\"message\",\"id\":\"msg-1\"}}]}";
        assertStored(post(body, signV2(body)), 0, 0, 1);
        assertNothingStored();
    }

    @Test
    public void otherTriggersAreAcknowledgedEvenWithoutAStore() throws IOException {
        servlet.store().set(null);
        String body = "{\"specversion\":\"1.0\",\"type\":\"message.created\",\"id\":\"ntf-9\",\"time\":1795165260,"
                + "\"data\":{\"object\":{\"grant_id\":\"grant-77\",\"id\":\"msg-1\"}}}";
        assertStored(post(body, signV3(body)), 0, 0, 1);
    }

    @Test
    public void aMixedBatchKeepsOnlyAccountTriggers() throws IOException {
        String body = "{\"deltas\":[{\"date\":1795165200,\"object\":\"message\",\"type\":\"message.created\","
                + "\"object_data\":{\"account_id\":\"acc-one\",\"object\":\"message\",\"id\":\"msg-1\"}},"
                + delta("account.invalid", 1795165260L, "acc-one") + "]}";
        assertStored(post(body, signV2(body)), 1, 0, 1);
        assertEquals("account.invalid", store.notifications().get(0).event().type());
    }

    @Test
    public void v3GrantTriggersAreKept() throws IOException {
        for (String type : List.of("grant.created", "grant.updated", "grant.deleted")) {
            String body = V3_EXPIRED.replace("grant.expired", type).replace("ntf-5521", "ntf-" + type);
            assertStored(post(body, signV3(body)), 1, 0, 0);
        }
        assertEquals(List.of("grant.created", "grant.updated", "grant.deleted"),
                store.notifications().stream().map(n -> n.event().type()).toList());
    }

    @Test
    public void redeliveryIsStoredOnce() throws IOException {
        assertStored(post(V2_BATCH, signV2(V2_BATCH)), 3, 0, 0);
        assertStored(post(V2_BATCH, signV2(V2_BATCH)), 0, 3, 0);
        assertStored(post(V3_EXPIRED, signV3(V3_EXPIRED)), 1, 0, 0);
        assertStored(post(V3_EXPIRED, signV3(V3_EXPIRED)), 0, 1, 0);
        assertEquals(4, store.stored.size());
    }

    @Test
    public void aV3RedeliveryIsRecognisedByIdEvenIfReserialised() throws IOException {
        assertStored(post(V3_EXPIRED, signV3(V3_EXPIRED)), 1, 0, 0);
        String reordered = "{\"id\":\"ntf-5521\"," + V3_EXPIRED.substring(1).replace(",\"id\":\"ntf-5521\"", "");
        assertStored(post(reordered, signV3(reordered)), 0, 1, 0);
    }

    @Test
    public void theSameDeltaTwiceInOneBatchIsStoredOnce() throws IOException {
        String body = "{\"deltas\":[" + delta("account.invalid", 1795165260L, "acc-one") + ","
                + delta("account.invalid", 1795165260L, "acc-one") + "]}";
        assertStored(post(body, signV2(body)), 1, 1, 0);
    }

    @Test
    public void notJsonIs400() throws IOException {
        String body = "deltas=account.invalid";
        assertError(post(body, signV2(body)), 400, "malformed_json");
        String array = "[" + V3_EXPIRED + "]";
        assertError(post(array, signV2(array)), 400, "wrong_type");
        assertNothingStored();
    }

    @Test
    public void aNotificationWithoutTypeIs400WithTheField() throws IOException {
        String body = "{\"deltas\":[{\"date\":1795165260,\"object_data\":{\"account_id\":\"acc-one\"}}]}";
        Res response = post(body, signV2(body));
        assertError(response, 400, "invalid_notification");
        assertEquals(response.text(), "body.deltas[0].type", response.json().path("field").asText());
        assertNothingStored();
    }

    @Test
    public void aNotificationNamingNobodyIs400() throws IOException {
        String body = "{\"deltas\":[{\"date\":1795165260,\"object\":\"account\",\"type\":\"account.invalid\"}]}";
        assertError(post(body, signV2(body)), 400, "invalid_notification");
        assertNothingStored();
    }

    @Test
    public void tooLargeIs413() throws IOException {
        servlet.configure(WebhookSettings.of(CLIENT_SECRET, WEBHOOK_SECRET, 100, 30));
        Res response = post(V2_BATCH, signV2(V2_BATCH));
        assertError(response, 413, "body_too_large");
        assertEquals(100, response.json().path("limit").asInt());
        assertNothingStored();
    }

    @Test
    public void gzipBodiesAreReadAndTheirSignatureChecked() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(V2_BATCH.getBytes(StandardCharsets.UTF_8));
        }
        byte[] raw = zipped.toByteArray();
        Map<String, String> gzipHeader = Map.of("Content-Encoding", "gzip");
        assertStored(post(raw, Signatures.sign(CLIENT_SECRET, raw), gzipHeader), 3, 0, 0);
        assertStored(post(raw, signV2(V2_BATCH), gzipHeader), 0, 3, 0);
        assertError(post(raw, signV2("{}"), gzipHeader), 401, "invalid_signature");
        assertError(post(V2_BATCH.getBytes(StandardCharsets.UTF_8), signV2(V2_BATCH), gzipHeader), 400,
                "unreadable_body");
        assertError(post(V2_BATCH.getBytes(StandardCharsets.UTF_8), signV2(V2_BATCH), Map.of("Content-Encoding", "br")),
                415, "unsupported_encoding");
    }

    // ---------------------------------------------------------------------------------------------- storing

    @Test
    public void aFailingStoreIs503WithRetryAfterNever200() throws IOException {
        store.failure = new EvidenceStore.StoreException("disk full", new IOException("No space left on device"));
        Res response = post(V2_BATCH, signV2(V2_BATCH));
        assertError(response, 503, "store_failed");
        assertEquals("30", response.headers.get("Retry-After"));
        assertFalse("no internal detail: " + response.text(), response.text().contains("No space left"));
        assertTrue(store.stored.isEmpty());

        // Nylas retries once the store is back: the same delivery is then stored.
        store.failure = null;
        assertStored(post(V2_BATCH, signV2(V2_BATCH)), 3, 0, 0);
    }

    @Test
    public void aStoreBugIs503Too() throws IOException {
        store.failure = new NullPointerException("bug");
        Res response = post(V3_EXPIRED, signV3(V3_EXPIRED));
        assertError(response, 503, "store_failed");
        assertEquals("30", response.headers.get("Retry-After"));
    }

    @Test
    public void withoutAStoreIs503() throws IOException {
        servlet.store().set(null);
        Res response = post(V3_EXPIRED, signV3(V3_EXPIRED));
        assertError(response, 503, "store_unavailable");
        assertEquals("30", response.headers.get("Retry-After"));
    }

    @Test
    public void withoutTheEngineIs503() throws IOException {
        servlet.reader().set(null);
        Res response = post(V3_EXPIRED, signV3(V3_EXPIRED));
        assertError(response, 503, "engine_unavailable");
        assertEquals(0, store.calls);
    }

    @Test
    public void aStoreRefusingARecordIs400() throws IOException {
        store.failure = new IllegalArgumentException("record names neither an account id nor an email");
        assertError(post(V3_EXPIRED, signV3(V3_EXPIRED)), 400, "invalid_notification");
    }
}
