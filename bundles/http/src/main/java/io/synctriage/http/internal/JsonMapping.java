package io.synctriage.http.internal;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
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
     * {@code 2026-11-20T08:58:30Z}, as {@link DateTimeFormatter#ISO_INSTANT} writes it. Written by hand because
     * only jackson-core/annotations/databind are in the container (no jackson-datatype-jsr310), and without it
     * Jackson refuses java.time types.
     *
     * <p>Times from 1970 to 9999 (all a diagnosis holds) are spelled out here directly: the formatter's
     * general path was a sixth of writing a diagnosis. Other times (before 1970, or after 9999 with a sign and
     * more year digits) still go through it.
     */
    static final class InstantSerializer extends StdSerializer<Instant> {
        private static final long serialVersionUID = 1L;
        /** 9999-12-31T23:59:59Z. */
        private static final long LAST_SECOND_OF_9999 = 253_402_300_799L;
        private static final int SECONDS_PER_DAY = 86_400;
        private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000};

        InstantSerializer() {
            super(Instant.class);
        }

        @Override
        public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            long seconds = value.getEpochSecond();
            if (seconds < 0 || seconds > LAST_SECOND_OF_9999) {
                gen.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
                return;
            }
            // yyyy-MM-ddTHH:mm:ss, then the fraction in groups of three digits (none when zero), then Z
            char[] text = new char[30];
            LocalDate date = LocalDate.ofEpochDay(seconds / SECONDS_PER_DAY);
            int secondOfDay = (int) (seconds % SECONDS_PER_DAY);
            digits(text, 0, date.getYear(), 4);
            text[4] = '-';
            digits(text, 5, date.getMonthValue(), 2);
            text[7] = '-';
            digits(text, 8, date.getDayOfMonth(), 2);
            text[10] = 'T';
            digits(text, 11, secondOfDay / 3600, 2);
            text[13] = ':';
            digits(text, 14, secondOfDay / 60 % 60, 2);
            text[16] = ':';
            digits(text, 17, secondOfDay % 60, 2);
            int length = 19;
            int nano = value.getNano();
            if (nano > 0) {
                text[length++] = '.';
                int fractionDigits = nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
                digits(text, length, nano / POWERS_OF_TEN[9 - fractionDigits], fractionDigits);
                length += fractionDigits;
            }
            text[length++] = 'Z';
            gen.writeString(text, 0, length);
        }

        /** {@code value} as {@code count} decimal digits, zero-padded, at {@code at}. */
        private static void digits(char[] text, int at, int value, int count) {
            for (int i = at + count - 1; i >= at; i--) {
                text[i] = (char) ('0' + value % 10);
                value /= 10;
            }
        }
    }
}
