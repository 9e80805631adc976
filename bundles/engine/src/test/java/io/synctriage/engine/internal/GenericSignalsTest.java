package io.synctriage.engine.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.synctriage.model.spi.ErrorKind;

/** The generic signatures, and that the literal prefilter never hides a match the regexes would find. */
public class GenericSignalsTest {

    private final GenericSignals signals = GenericSignals.load();

    private static final List<String> PHRASES = List.of(
            "{\"error\":\"invalid_client\",\"error_description\":\"secret expired\"}", "UNAUTHORIZED_CLIENT",
            "deleted_client", "invalid_grant: Token has been expired or revoked.", "a1 NO [AUTHENTICATIONFAILED] Invalid",
            "Authentication failed.", "AUTHENTICATE failed.", "authentication failure for user", "Invalid credentials",
            "credentials rejected by server", "LOGIN failed", "a2 LOGIN user pass\r\na2 NO denied", "Wrong password",
            "incorrect user name or password", "auth_error", "HTTP 401", "status=401", "401 Unauthorized",
            "token refresh rejected; marking account invalid", "refresh token is revoked", "HTTP 503 Service Unavailable",
            "status: 500", "code=502", "504 Gateway Time-out", "Internal Server Error", "server error while syncing",
            "* NO [UNAVAILABLE] backend down", "[SERVERBUG]", "temporarily_unavailable", "connection timed out after 30s",
            "read timeout", "Time out waiting", "ETIMEDOUT", "Connection refused", "connection reset by peer",
            "ECONNRESET", "No route to host", "could not resolve host imap.example.com", "Name or service not known",
            "java.net.UnknownHostException: mail.example.org", "IDLE INBOX ok", "fetched 20 messages", "",
            "Status 129 DeviceIsBlockedForThisUser", "AADSTS70043: The refresh token has expired", "timeouts=0 ok");

    @Test
    public void knownSignaturesAreFound() {
        assertEquals(ErrorKind.CLIENT_CREDENTIALS, signals.first(PHRASES.get(0)).kind());
        assertEquals(ErrorKind.AUTH, signals.first("a1 NO [AUTHENTICATIONFAILED] Invalid").kind());
        assertEquals(ErrorKind.SERVER, signals.first("HTTP 503 Service Unavailable").kind());
        assertEquals(ErrorKind.NETWORK, signals.first("connection timed out after 30s").kind());
        assertNull(signals.first("IDLE INBOX ok"));
        assertNull(signals.first(null));
    }

    @Test
    public void thePrefilterNeverHidesAMatch() throws Exception {
        List<String> texts = new ArrayList<>(PHRASES);
        texts.addAll(stringsOfTheCaseFiles());
        for (String text : texts) {
            for (String variant : List.of(text, text.toUpperCase(Locale.ROOT), text.toLowerCase(Locale.ROOT))) {
                GenericSignals.Signal expected = signals.firstByRegexOnly(variant);
                GenericSignals.Signal actual = signals.first(variant);
                assertEquals(variant, expected == null ? null : expected.label(), actual == null ? null : actual.label());
            }
        }
    }

    /** Every string value of the engine's decision-tree case files (messages, errors, paths…). */
    private static List<String> stringsOfTheCaseFiles() throws Exception {
        Path dir = Paths.get(GenericSignalsTest.class.getResource("/cases").toURI());
        List<String> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                try (InputStream in = Files.newInputStream(p)) {
                    collect(json.readValue(in, Object.class), out);
                }
            }
        }
        assertNotNull(out);
        return out;
    }

    private static void collect(Object v, List<String> out) {
        if (v instanceof String) {
            out.add((String) v);
        } else if (v instanceof Map) {
            ((Map<?, ?>) v).values().forEach(x -> collect(x, out));
        } else if (v instanceof List) {
            ((List<?>) v).forEach(x -> collect(x, out));
        }
    }
}
