package io.synctriage.source.importer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Tells an import file's format: by its extension, else by its first line. */
final class FileFormat {

    static final String JSON = "json";
    static final String NDJSON = "ndjson";

    private static final int SNIFF_BYTES = 1024 * 1024;
    private static final ObjectMapper ONE_VALUE = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private FileFormat() {
    }

    /** {@code .ndjson}/{@code .jsonl}/{@code .jsonlines} → NDJSON, {@code .json} → JSON, else {@link #sniff}. */
    static String of(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".ndjson") || name.endsWith(".jsonl") || name.endsWith(".jsonlines")) {
            return NDJSON;
        }
        if (name.endsWith(".json")) {
            return JSON;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return sniff(in.readNBytes(SNIFF_BYTES));
        }
    }

    /**
     * NDJSON when the first non-blank line is a complete JSON object on its own and more content
     * follows it; otherwise JSON (a document may span lines, an NDJSON record may not).
     */
    static String sniff(byte[] head) {
        int start = 0;
        if (head.length >= 3 && (head[0] & 0xFF) == 0xEF && (head[1] & 0xFF) == 0xBB && (head[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        while (start < head.length && Character.isWhitespace(head[start])) {
            start++;
        }
        if (start >= head.length || head[start] != '{') {
            return JSON;
        }
        int end = start;
        while (end < head.length && head[end] != '\n') {
            end++;
        }
        if (end >= head.length) {
            return JSON; // one line (or a first line longer than we look at): a single document
        }
        try {
            Object first = ONE_VALUE.readValue(new String(head, start, end - start, StandardCharsets.UTF_8), Object.class);
            if (!(first instanceof java.util.Map)) {
                return JSON;
            }
        } catch (IOException e) {
            return JSON; // the first line is not a whole value: a multi-line document
        }
        for (int i = end; i < head.length; i++) {
            if (!Character.isWhitespace(head[i])) {
                return NDJSON;
            }
        }
        return JSON;
    }
}
