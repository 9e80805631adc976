package io.synctriage.itests;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Assertions on the public contract of spec/api.md, shared by the IT classes (they run in the container). */
final class ApiAssertions {

    /** Diagnosis fields of spec/api.md ("add fields freely; never rename or drop one"). */
    static final List<String> DIAGNOSIS_FIELDS = List.of("account_id", "email", "state", "cause", "actor",
            "confidence", "summary", "remediation", "evidence", "alternatives", "trace", "missing", "checks");
    /** The generic decision-tree steps, in order, that open every trace (spec/decision-tree.md). */
    static final List<String> GENERIC_STEPS = List.of("S1_APP_REVOKED", "S2_DOMAIN_PATTERN", "S3_SAME_TIME",
            "S4_AUTH_TYPE", "S5_BASIC_AUTH", "S6_OAUTH");

    private ApiAssertions() {
    }

    static void assertDiagnosisShape(String what, Map<String, Object> diagnosis) {
        for (String field : DIAGNOSIS_FIELDS) {
            assertTrue(what + ": field '" + field + "' missing in " + diagnosis, diagnosis.containsKey(field));
        }
        assertNotNull(what + ": account_id", diagnosis.get("account_id"));
        Object confidence = diagnosis.get("confidence");
        assertTrue(what + ": confidence is a number in [0,1]: " + confidence, confidence instanceof Number
                && ((Number) confidence).doubleValue() >= 0 && ((Number) confidence).doubleValue() <= 1);
        Json.list(diagnosis.get("remediation"), "remediation");
        Json.list(diagnosis.get("evidence"), "evidence");
        Json.list(diagnosis.get("alternatives"), "alternatives");
        Json.list(diagnosis.get("missing"), "missing");
        List<Object> trace = Json.list(diagnosis.get("trace"), "trace");
        assertTrue(what + ": trace has at least the six generic steps: " + trace, trace.size() >= 6);
        for (int i = 0; i < GENERIC_STEPS.size(); i++) {
            Map<String, Object> step = Json.map(trace.get(i), "trace[" + i + "]");
            assertEquals(what + ": trace[" + i + "]: " + trace, GENERIC_STEPS.get(i), step.get("step"));
            assertTrue(what + ": trace[" + i + "].answer: " + step,
                    Arrays.asList("yes", "no", "skipped", "unknown").contains(step.get("answer")));
        }
    }

    /** An error answer: the status, a JSON body with `error` and `message`, no stack trace. */
    static void assertError(Http.Response response, int status) throws Exception {
        assertEquals(response.toString(), status, response.status());
        assertJson(response);
        Map<String, Object> error = Json.object(response.body());
        assertTrue("error code: " + response, error.get("error") instanceof String
                && !((String) error.get("error")).isBlank());
        assertTrue("error message: " + response, error.get("message") instanceof String
                && !((String) error.get("message")).isBlank());
        assertNoStackTrace(response);
    }

    static void assertNoStackTrace(Http.Response response) {
        String body = response.body();
        for (String sign : List.of("\tat ", ".java:", "Caused by", "Exception:")) {
            assertFalse("no stack trace in a response: " + body, body.contains(sign));
        }
    }

    static void assertJson(Http.Response response) {
        assertTrue("JSON content type: " + response, response.contentType().startsWith("application/json"));
    }

    static Path bundleFile(String name) {
        Path file = Path.of(System.getProperty(Containers.BUNDLES_DIR), name);
        assertTrue("test bundle exists: " + file, Files.isRegularFile(file));
        return file;
    }

    static String bundle(String name) throws Exception {
        return Files.readString(bundleFile(name), UTF_8);
    }
}
