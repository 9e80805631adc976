package io.synctriage.source.importer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import io.synctriage.engine.internal.EvidenceNormalizer;
import org.junit.Test;
import org.mockito.Mockito;

import com.fasterxml.jackson.databind.ObjectMapper;

public class ImportServletTest {

    private final FakeStore store = new FakeStore();
    private final ImportServlet servlet = new ImportServlet();

    private void withImporter(long maxBody) {
        servlet.bindImporter(new Importer(new EvidenceNormalizer(Clock.systemUTC()), store, new Importer.Settings(maxBody, 4096, 1000, 2, 1000, false)));
    }

    /** Status and parsed JSON body of one request. */
    private record Answer(int status, Map<String, Object> body, Map<String, String> headers) {
    }

    @SuppressWarnings("unchecked")
    private Answer post(String method, String contentType, String body, long declaredLength) throws IOException {
        HttpServletRequest request = mock(HttpServletRequest.class);
        when(request.getMethod()).thenReturn(method);
        when(request.getContentType()).thenReturn(contentType);
        when(request.getContentLengthLong()).thenReturn(declaredLength);
        ByteArrayInputStream in = new ByteArrayInputStream(body.getBytes(UTF_8));
        when(request.getInputStream()).thenReturn(new ServletInputStream() {
            @Override
            public int read() {
                return in.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return in.read(b, off, len);
            }

            @Override
            public boolean isFinished() {
                return in.available() == 0;
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setReadListener(ReadListener listener) {
            }
        });
        HttpServletResponse response = mock(HttpServletResponse.class);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] status = {0};
        Map<String, String> headers = new java.util.HashMap<>();
        Mockito.doAnswer(i -> status[0] = i.getArgument(0)).when(response).setStatus(Mockito.anyInt());
        Mockito.doAnswer(i -> headers.put(i.getArgument(0), i.getArgument(1))).when(response)
                .setHeader(Mockito.anyString(), Mockito.anyString());
        when(response.getOutputStream()).thenReturn(new ServletOutputStream() {
            @Override
            public void write(int b) {
                out.write(b);
            }

            @Override
            public boolean isReady() {
                return true;
            }

            @Override
            public void setWriteListener(WriteListener listener) {
            }
        });
        servlet.service(request, response);
        return new Answer(status[0], new ObjectMapper().readValue(out.toByteArray(), Map.class), headers);
    }

    private Answer post(String contentType, String body) throws IOException {
        return post("POST", contentType, body, body.getBytes(UTF_8).length);
    }

    @Test
    public void ndjsonIsAcceptedWith202AndPerLineRejections() throws IOException {
        withImporter(1 << 20);
        Answer a = post("application/x-ndjson; charset=utf-8", """
                {"kind": "account", "id": "h1", "email": "h1@contoso.com"}
                {"kind": "auth_log", "message": "no account named"}
                not json
                """);
        assertEquals(202, a.status());
        assertEquals(1, a.body().get("accepted"));
        List<?> rejected = (List<?>) a.body().get("rejected");
        assertEquals(2, rejected.size());
        assertEquals(2, ((Map<?, ?>) rejected.get(0)).get("line"));
        assertEquals(3, ((Map<?, ?>) rejected.get(1)).get("line"));
        assertEquals(1, store.accounts.size());
    }

    @Test
    public void jsonObjectAnswersWithRecordPaths() throws IOException {
        withImporter(1 << 20);
        Answer a = post("application/json", "{\"accounts\": [{\"id\": \"j1\"}, {\"email\": \"x@y.z\"}]}");
        assertEquals(202, a.status());
        assertEquals(1, a.body().get("accepted"));
        Map<?, ?> rejection = (Map<?, ?>) ((List<?>) a.body().get("rejected")).get(0);
        assertEquals("accounts[1]", rejection.get("record"));
        assertEquals(1, rejection.get("line"));
        assertEquals("json", a.body().get("format"));
    }

    @Test
    public void errors() throws IOException {
        assertEquals("no store/engine: 503", 503, post("application/json", "{\"accounts\": []}").status());
        withImporter(64);
        Answer wrongType = post("text/csv", "id\nx");
        assertEquals(415, wrongType.status());
        assertEquals("unsupported_media_type", wrongType.body().get("error"));
        Answer malformed = post("application/json", "{\"accounts\": [");
        assertEquals(400, malformed.status());
        assertEquals("malformed_json", malformed.body().get("error"));
        assertEquals("declared too large", 413, post("POST", "application/json", "{}", 65).status());
        String big = "{\"kind\": \"account\", \"id\": \"big-" + "x".repeat(80) + "\"}\n";
        Answer chunked = post("POST", "application/x-ndjson", big, -1);
        assertEquals("counted while read (chunked)", 413, chunked.status());
        assertEquals("body_too_large", chunked.body().get("error"));
        assertEquals(405, post("GET", null, "", 0).status());
        assertTrue(store.records.isEmpty());
    }

    @Test
    public void aFailingStoreIs503WithRetryAfter() throws IOException {
        withImporter(1 << 20);
        store.failAfterCalls = 0;
        Answer a = post("application/x-ndjson", "{\"kind\": \"account\", \"id\": \"s1\"}\n");
        assertEquals(503, a.status());
        assertEquals("store_unavailable", a.body().get("error"));
        assertEquals("30", a.headers().get("Retry-After"));
        assertTrue("no internals leak", !a.body().toString().contains("connection refused"));
    }

    @Test
    public void contentTypes() {
        assertEquals("ndjson", ImportServlet.format("application/x-ndjson"));
        assertEquals("ndjson", ImportServlet.format("Application/JSONL"));
        assertEquals("json", ImportServlet.format("application/json;charset=UTF-8"));
        assertEquals("json", ImportServlet.format("application/vnd.acme.evidence+json"));
        assertEquals(null, ImportServlet.format("text/plain"));
        assertEquals(null, ImportServlet.format(null));
    }
}
