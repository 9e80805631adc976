package io.synctriage.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The bundle's one Jackson configuration: the wire shape of the model types on the REST API.
 *
 * <p>The model records carry no Jackson annotations (the model bundle stays framework-free), so the
 * contract of spec/api.md is applied here: snake_case names ({@code accountId} → {@code account_id}),
 * enums by {@code toString()} ({@code Answer.YES} → {@code yes}, {@code ProviderFamily} → its id,
 * {@code Cause}/{@code Actor} → their names), {@link Instant} as an ISO-8601 string, and nulls
 * written (a null actor must appear as JSON {@code null}). {@link ObjectMapper} is thread-safe once
 * configured, so one instance serves every request.
 */
final class JsonMapping {

    /** Writes the model types; also the origin of {@link #EVIDENCE_READER}. */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.ALWAYS)
            // An evidence bundle with a key twice is ambiguous: reject it rather than keep the last one.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // "{...} garbage" is malformed, not a bundle followed by noise.
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .addModule(new SimpleModule("synctriage-time").addSerializer(Instant.class, new InstantSerializer()))
            .build();

    /**
     * Reads a request body into plain Java values (Map, List, String, Number, Boolean, null): the
     * form {@code Diagnoser.normalize} takes.
     */
    static final ObjectReader EVIDENCE_READER = MAPPER.readerFor(Object.class);

    private JsonMapping() {
    }

    /**
     * {@code 2026-11-20T08:58:30Z}. Written by hand because only jackson-core/annotations/databind
     * are in the container (no jackson-datatype-jsr310), and without it Jackson refuses java.time types.
     */
    static final class InstantSerializer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }
}
