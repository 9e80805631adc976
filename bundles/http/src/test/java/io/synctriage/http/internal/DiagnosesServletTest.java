package io.synctriage.http.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.synctriage.http.internal.ServletFakes.Req;
import io.synctriage.http.internal.ServletFakes.Res;

public class DiagnosesServletTest {

    private static final String BUNDLE = "{\n"
            + "  \"account\": {\"id\": \"7wm2qp9lqsk5ey7xk4gh0v8zt\", \"email\": \"alice@contoso.com\",\n"
            + "              \"provider\": \"office365\", \"sync_state\": \"invalid\"},\n"
            + "  \"auth_log\": [{\"timestamp\": \"2026-11-20T08:58:30Z\", \"error\": \"invalid_grant\",\n"
            + "                \"message\": \"AADSTS70043: sign-in frequency\"}],\n"
            + "  \"now\": \"2026-11-20T10:00:00Z\"\n"
            + "}";

    private FakeDiagnoser engine;
    private ApiSettings settings;
    private DiagnosesServlet servlet;
    private ExecutorService pool;

    @Before
    public void setUp() {
        engine = new FakeDiagnoser();
        settings = new ApiSettings(null, ApiSettings.Limits.of(4096, 2));
        servlet = new DiagnosesServlet(settings);
        servlet.bindDiagnoser(engine);
    }

    @After
    public void tearDown() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private Res post(Req request) throws IOException {
        Res response = new Res();
        servlet.service(request.mock, response.mock);
        return response;
    }

    private static Req json(String body) {
        return new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json").body(body);
    }

    private static void assertError(Res response, int status, String code) {
        assertEquals(response.text(), status, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        JsonNode body = response.json();
        assertEquals(response.text(), code, body.path("error").asText());
        assertTrue("message for a person: " + response.text(), body.path("message").asText().length() > 10);
        assertFalse("no stack trace: " + response.text(), response.text().contains("at io.synctriage"));
        assertFalse("no exception class names: " + response.text(), response.text().contains("Exception"));
    }

    @Test
    public void diagnosesAValidBundle() throws IOException {
        Res response = post(json(BUNDLE));

        assertEquals(response.text(), 200, response.status);
        assertEquals("application/json;charset=UTF-8", response.contentType);
        assertEquals("no-store", response.headers.get("Cache-Control"));
        JsonNode diagnosis = response.json();
        assertEquals("7wm2qp9lqsk5ey7xk4gh0v8zt", diagnosis.path("account_id").asText());
        assertEquals("alice@contoso.com", diagnosis.path("email").asText());
        assertEquals("CA_SIGNIN_FREQUENCY", diagnosis.path("cause").asText());
        assertEquals("MAIL_ADMIN", diagnosis.path("actor").asText());
        assertEquals("no", diagnosis.path("trace").path(0).path("answer").asText());
        // The engine got the body as plain Java values.
        Map<?, ?> account = (Map<?, ?>) engine.lastBundle.get("account");
        assertEquals("invalid", account.get("sync_state"));
        assertTrue(engine.lastBundle.get("auth_log") instanceof List);
        System.out.println("Diagnosis JSON of POST /api/v1/diagnoses:\n" + response.text());
    }

    @Test
    public void acceptsJsonWithCharsetAndStructuredSuffix() throws IOException {
        Req charset = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("Application/JSON; charset=utf-8")
                .body(BUNDLE);
        assertEquals(200, post(charset).status);
        Req suffix = new Req("POST", ApiContext.DIAGNOSES_PATH)
                .contentType("application/vnd.synctriage.evidence+json").body(BUNDLE);
        assertEquals(200, post(suffix).status);
    }

    @Test
    public void malformedJsonIs400WithLineAndColumn() throws IOException {
        Res response = post(json("{\n  \"account\": {\"id\": \"a1\"},\n  \"sync_log\": [ }\n}"));

        assertError(response, 400, "malformed_json");
        JsonNode body = response.json();
        assertEquals(3, body.path("line").asInt());
        assertEquals(17, body.path("column").asInt());
        assertEquals("the body is not valid JSON at line 3, column 17: Unexpected close marker '}': expected ']' "
                + "(for Array starting at line 3, column 15)", body.path("message").asText());
        assertEquals(0, engine.diagnoses.get());
    }

    @Test
    public void trailingGarbageIsMalformed() throws IOException {
        assertError(post(json("{\"account\": {\"id\": \"a1\"}} {\"x\": 1}")), 400, "malformed_json");
    }

    @Test
    public void duplicateKeysAreMalformed() throws IOException {
        assertError(post(json("{\"account\": {\"id\": \"a1\", \"id\": \"a2\"}}")), 400, "malformed_json");
    }

    @Test
    public void undecodableTextIsMalformed() throws IOException {
        // Looks like UTF-32BE ("{"), then a code point beyond Unicode; and a stray UTF-8 continuation byte.
        byte[] utf32 = {0, 0, 0, '{', 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        byte[] utf8 = {'{', '"', (byte) 0x80, '"', ':', '1', '}'};
        for (byte[] body : List.of(utf32, utf8)) {
            Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json").chunked(body);
            assertError(post(request), 400, "malformed_json");
        }
    }

    @Test
    public void bodyThatIsNotAnObjectIs400() throws IOException {
        Res array = post(json("[{\"account\": {\"id\": \"a1\"}}]"));
        assertError(array, 400, "wrong_type");
        assertTrue(array.json().path("message").asText().contains("not an array"));
        assertError(post(json("\"a1\"")), 400, "wrong_type");
        assertError(post(json("null")), 400, "wrong_type");
    }

    @Test
    public void emptyBodyIs400() throws IOException {
        assertError(post(json("")), 400, "empty_body");
        assertError(post(json("  \n ")), 400, "empty_body");
    }

    @Test
    public void invalidEvidenceIs400WithTheField() throws IOException {
        Res missingId = post(json("{\"account\": {\"email\": \"alice@contoso.com\"}}"));
        assertError(missingId, 400, "invalid_evidence");
        assertEquals("account.id", missingId.json().path("field").asText());

        Res wrongType = post(json("{\"account\": {\"id\": 42}}"));
        assertError(wrongType, 400, "invalid_evidence");
        assertEquals("account.id", wrongType.json().path("field").asText());
        assertTrue(wrongType.json().path("message").asText().contains("must be a string"));
    }

    @Test
    public void declaredLengthOverTheLimitIs413WithoutReading() throws IOException {
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json")
                .body("{\"account\": {\"id\": \"" + "x".repeat(5000) + "\"}}");

        Res response = post(request);

        assertError(response, 413, "body_too_large");
        assertEquals(4096, response.json().path("limit").asInt());
        assertEquals("close", response.headers.get("Connection"));
        assertEquals("the body was never read", 0, request.inputStreamCalls);
    }

    @Test
    public void chunkedBodyOverTheLimitIs413() throws IOException {
        byte[] big = ("{\"account\": {\"id\": \"" + "x".repeat(5000) + "\"}}").getBytes(StandardCharsets.UTF_8);
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json").chunked(big);

        assertError(post(request), 413, "body_too_large");
        assertEquals(0, engine.diagnoses.get());
    }

    @Test
    public void chunkedBodyAtTheLimitIsAccepted() throws IOException {
        String prefix = "{\"account\": {\"id\": \"";
        String suffix = "\"}}";
        String exact = prefix + "x".repeat(4096 - prefix.length() - suffix.length()) + suffix;
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json")
                .chunked(exact.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, post(request).status);
    }

    @Test
    public void readBoundedCountsBytes() throws IOException {
        byte[] data = new byte[100];
        Arrays.fill(data, (byte) 'a');
        assertEquals(100, DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(data), 100, -1).length);
        assertNull(DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(data), 99, -1));
        // A declared length that lies does not let more through.
        assertNull(DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(data), 99, 10));
    }

    @Test
    public void readBoundedReadsWholeBodiesWhateverTheDeclaredLength() throws IOException {
        byte[] data = new byte[20_000];
        new Random(1).nextBytes(data);
        for (long declared : new long[] {-1, 0, 1, 511, 8192, 19_999, 20_000, 20_001, 1_000_000}) {
            assertArrayEquals("declared " + declared, data,
                    DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(data), 1_000_000, declared));
            // A stream that hands out a few bytes per read.
            assertArrayEquals("declared " + declared, data,
                    DiagnosesServlet.readBounded(trickle(data), 1_000_000, declared));
            assertArrayEquals(data, DiagnosesServlet.readBounded(trickle(data), data.length, declared));
            assertNull(DiagnosesServlet.readBounded(trickle(data), data.length - 1, declared));
        }
        assertArrayEquals(new byte[0], DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(new byte[0]), 10, -1));
        assertArrayEquals(new byte[0], DiagnosesServlet.readBounded(new java.io.ByteArrayInputStream(new byte[0]), 10, 5));
    }

    private static InputStream trickle(byte[] data) {
        return new java.io.ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 7));
            }
        };
    }

    @Test
    public void notJsonIs415() throws IOException {
        Res text = post(new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("text/plain").body(BUNDLE));
        assertError(text, 415, "unsupported_media_type");
        Res form = post(new Req("POST", ApiContext.DIAGNOSES_PATH)
                .contentType("application/x-www-form-urlencoded").body(BUNDLE));
        assertError(form, 415, "unsupported_media_type");
        Res none = post(new Req("POST", ApiContext.DIAGNOSES_PATH).body(BUNDLE));
        assertError(none, 415, "unsupported_media_type");
        assertEquals(0, engine.diagnoses.get());
    }

    @Test
    public void otherMethodsAre405WithAllow() throws IOException {
        for (String method : List.of("GET", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")) {
            Res response = post(new Req(method, ApiContext.DIAGNOSES_PATH));
            assertError(response, 405, "method_not_allowed");
            assertEquals("POST", response.headers.get("Allow"));
        }
    }

    @Test
    public void withoutEngineIs503() throws IOException {
        servlet.unbindDiagnoser(engine);
        Res response = post(json(BUNDLE));
        assertError(response, 503, "engine_unavailable");
        assertTrue(response.headers.containsKey("Retry-After"));
    }

    @Test
    public void staleUnbindKeepsTheNewerEngine() throws IOException {
        FakeDiagnoser newer = new FakeDiagnoser();
        servlet.bindDiagnoser(newer);
        servlet.unbindDiagnoser(engine);
        assertEquals(200, post(json(BUNDLE)).status);
        assertEquals(1, newer.diagnoses.get());
    }

    @Test
    public void beyondMaxConcurrentIs503WithRetryAfter() throws Exception {
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        engine.answer = evidence -> {
            inside.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return FakeDiagnoser.caSigninFrequency(evidence);
        };
        pool = Executors.newFixedThreadPool(2);
        Future<Res> first = pool.submit(() -> post(json(BUNDLE)));
        Future<Res> second = pool.submit(() -> post(json(BUNDLE)));
        assertTrue("both diagnoses in progress", inside.await(10, TimeUnit.SECONDS));

        Res third = post(json(BUNDLE));
        assertError(third, 503, "overloaded");
        assertEquals("1", third.headers.get("Retry-After"));

        release.countDown();
        assertEquals(200, first.get(10, TimeUnit.SECONDS).status);
        assertEquals(200, second.get(10, TimeUnit.SECONDS).status);
        // Permits came back, also from the rejected and failed paths.
        engine.answer = FakeDiagnoser::caSigninFrequency;
        assertError(post(json("[]")), 400, "wrong_type");
        assertEquals(200, post(json(BUNDLE)).status);
        assertEquals(200, post(json(BUNDLE)).status);
    }

    @Test
    public void unexpectedEngineFailureIsAGeneric500() throws IOException {
        engine.answer = evidence -> {
            throw new IllegalStateException("secret internals: table xyz corrupt");
        };
        Res response = post(json(BUNDLE));

        assertError(response, 500, "internal_error");
        assertFalse(response.text().contains("secret internals"));
        assertFalse(response.json().path("incident").asText().isEmpty());
        // The failure released its permit.
        engine.answer = FakeDiagnoser::caSigninFrequency;
        assertEquals(200, post(json(BUNDLE)).status);
        assertEquals(200, post(json(BUNDLE)).status);
    }

    @Test
    public void unreadableBodyIs400() throws IOException {
        Req request = new Req("POST", ApiContext.DIAGNOSES_PATH).contentType("application/json")
                .stream(new InputStream() {
                    @Override
                    public int read() throws IOException {
                        throw new IOException("connection reset");
                    }
                });
        assertError(post(request), 400, "unreadable_body");
    }

    @Test
    public void modifiedConfigurationChangesTheLimits() throws IOException {
        settings.modified(config(10, 64));
        assertError(post(json(BUNDLE)), 413, "body_too_large");
        settings.modified(config(1 << 20, 64));
        assertEquals(200, post(json(BUNDLE)).status);
    }

    @Test
    public void nonPositiveLimitsFallBackToDefaults() {
        ApiSettings.Limits limits = ApiSettings.Limits.of(0, -1);
        assertEquals(HttpConfig.DEFAULT_MAX_BODY_BYTES, limits.maxBodyBytes());
        assertEquals(HttpConfig.DEFAULT_MAX_CONCURRENT_DIAGNOSES, limits.maxConcurrent());
    }

    static HttpConfig config(long maxBody, int maxConcurrent) {
        return TestConfigs.http(maxBody, maxConcurrent, "karaf", "", 60);
    }
}
