package io.synctriage.itests;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * JSON parsing for assertions, kept in its own class on purpose: the probe imports Jackson dynamically, and
 * in a stock Karaf Jackson only exists after {@code feature:install synctriage}. Test classes therefore use
 * plain {@code Map}/{@code List} and never name a Jackson type, so Jackson is first loaded when this class is,
 * i.e. after the feature is installed.
 */
final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) throws IOException {
        Object value = MAPPER.readValue(json, Object.class);
        if (!(value instanceof Map)) {
            throw new AssertionError("expected a JSON object, got: " + json);
        }
        return (Map<String, Object>) value;
    }

    static String write(Object value) throws IOException {
        return MAPPER.writeValueAsString(value);
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value, String what) {
        if (!(value instanceof List)) {
            throw new AssertionError(what + " should be a JSON array, is: " + value);
        }
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String what) {
        if (!(value instanceof Map)) {
            throw new AssertionError(what + " should be a JSON object, is: " + value);
        }
        return (Map<String, Object>) value;
    }
}
