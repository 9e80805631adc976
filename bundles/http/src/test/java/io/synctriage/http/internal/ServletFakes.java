package io.synctriage.http.internal;

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
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Minimal servlet request/response doubles on top of Mockito. */
final class ServletFakes {

    private static final ObjectMapper PLAIN = new ObjectMapper();

    private ServletFakes() {
    }

    /** A request builder. */
    static final class Req {
        final HttpServletRequest mock = mock(HttpServletRequest.class);
        final Map<String, Object> attributes = new HashMap<>();
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        int inputStreamCalls;

        Req(String method, String path) {
            when(mock.getMethod()).thenReturn(method);
            when(mock.getServletPath()).thenReturn(path);
            when(mock.getPathInfo()).thenReturn(null);
            when(mock.getRequestURI()).thenReturn(path);
            when(mock.getContentLengthLong()).thenReturn(-1L);
            when(mock.getHeader(anyString())).thenAnswer(i -> headers.get(i.<String>getArgument(0)));
            doAnswer(i -> attributes.put(i.getArgument(0), i.getArgument(1))).when(mock)
                    .setAttribute(anyString(), org.mockito.ArgumentMatchers.any());
        }

        /** {@code path} as servlet path + path info, as a {@code /api/*} mapping splits it. */
        Req mappedAt(String servletPath, String pathInfo) {
            when(mock.getServletPath()).thenReturn(servletPath);
            when(mock.getPathInfo()).thenReturn(pathInfo);
            return this;
        }

        Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Req basic(String user, String password) {
            return header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }

        Req contentType(String type) {
            when(mock.getContentType()).thenReturn(type);
            return this;
        }

        /** A body with its Content-Length. */
        Req body(String json) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            when(mock.getContentLengthLong()).thenReturn((long) bytes.length);
            return stream(new ByteArrayInputStream(bytes));
        }

        /** A body without Content-Length (chunked). */
        Req chunked(byte[] bytes) {
            when(mock.getContentLengthLong()).thenReturn(-1L);
            return stream(new ByteArrayInputStream(bytes));
        }

        Req stream(InputStream in) {
            try {
                when(mock.getInputStream()).thenAnswer(i -> {
                    inputStreamCalls++;
                    return new ServletInputStream() {
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
                    };
                });
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return this;
        }

        /** Attributes by name; the mock does not read them back by itself. */
        Object attribute(String name) {
            return attributes.get(name);
        }
    }

    /** A response that records what was written. */
    static final class Res {
        final HttpServletResponse mock = mock(HttpServletResponse.class);
        int status = 200;
        String contentType;
        final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean committed;

        Res() {
            doAnswer(i -> {
                status = i.getArgument(0);
                return null;
            }).when(mock).setStatus(anyInt());
            doAnswer(i -> headers.put(i.getArgument(0), i.getArgument(1))).when(mock)
                    .setHeader(anyString(), anyString());
            doAnswer(i -> {
                contentType = i.getArgument(0);
                return null;
            }).when(mock).setContentType(anyString());
            when(mock.isCommitted()).thenAnswer(i -> committed);
            doAnswer(i -> {
                status = 200;
                contentType = null;
                headers.clear();
                body.reset();
                return null;
            }).when(mock).reset();
            try {
                doAnswer(i -> {
                    committed = true;
                    return null;
                }).when(mock).flushBuffer();
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
            } catch (IOException e) {
                throw new AssertionError(e);
            }
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
}
