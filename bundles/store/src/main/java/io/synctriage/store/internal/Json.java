package io.synctriage.store.internal;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * API-call request bodies (JSON objects) as JSON text in the database, and back. The one
 * {@link ObjectMapper} of the store ({@link IncidentJson} maps the incidents' lists with it too).
 */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static String write(Map<String, Object> body) {
        if (body == null || body.isEmpty()) {
            return null;
        }
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            // A body that came in as JSON always serialises; anything else (a foreign object graph) is kept as text.
            return null;
        }
    }

    static Map<String, Object> read(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
