package io.synctriage.shell.internal;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Reads evidence bundle files into the plain-value form {@code Diagnoser.normalize} takes. */
final class EvidenceFiles {

    /** A file that cannot be used, with a one-line message for a person. */
    static final class UnusableFileException extends Exception {
        private static final long serialVersionUID = 1L;

        UnusableFileException(String message) {
            super(message);
        }
    }

    /** The bundle's one Jackson configuration: strict, as the REST API is. */
    private static final ObjectReader READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build()
            .readerFor(Object.class);

    private static final Pattern SOURCE_LOCATION =
            Pattern.compile("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)\\]");

    private EvidenceFiles() {
    }

    /**
     * Reads and parses {@code file}.
     *
     * @throws UnusableFileException when it is missing, unreadable, not JSON or not a JSON object
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> read(Path file) throws UnusableFileException {
        if (Files.isDirectory(file)) {
            throw new UnusableFileException("Not a file but a directory: " + file);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new UnusableFileException("File not found: " + file);
        } catch (AccessDeniedException e) {
            throw new UnusableFileException("Cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new UnusableFileException("Cannot read " + file + ": " + e.getMessage());
        }
        if (new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank()) {
            throw new UnusableFileException("File is empty: " + file);
        }
        Object value;
        try {
            value = READER.readValue(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String position = at != null && at.getLineNr() > 0
                    ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            throw new UnusableFileException("Malformed JSON in " + file + position + ": "
                    + oneLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new UnusableFileException("Cannot read " + file + ": " + e.getMessage());
        }
        if (!(value instanceof Map)) {
            throw new UnusableFileException(file + " is not an evidence bundle: expected a JSON object, found "
                    + jsonTypeOf(value));
        }
        return (Map<String, Object>) value;
    }

    private static String jsonTypeOf(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value.getClass().getSimpleName();
    }

    /** Jackson's message on one line, nested "[Source: ...; line: 1, column: 2]" shortened. */
    static String oneLine(String text) {
        if (text == null) {
            return "";
        }
        return SOURCE_LOCATION.matcher(text).replaceAll("line $1, column $2").replaceAll("\\s+", " ").trim();
    }
}
