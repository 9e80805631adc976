package io.synctriage.source.importer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.LogLine;
import io.synctriage.model.StoreResult;

/**
 * Turns an import file or body into {@link EvidenceRecord}s and stores them in batches. Knows the
 * CONTAINERS (NDJSON lines, the JSON-object arrays, the v2 account-list export, the v3 grants list);
 * the shape of each single record is read by the engine's {@link EvidenceReader}, never here.
 *
 * <p>Good records are kept when others are rejected: a record is rejected on its own (with its line
 * and path), and a batch that the store refuses because of one record is retried record by record. A
 * {@link EvidenceStore.StoreException} (the database failed) is not a record's fault and propagates;
 * what was committed before stays committed and is counted in the caller's {@link ImportReport}.
 *
 * <p>Memory stays bounded by the batch size and the longest record, whatever the input size: NDJSON
 * is read line by line, JSON documents element by element (after a syntax-only first pass, so that a
 * malformed document stores nothing).
 */
final class EvidenceImporter {

    /** Opens the same JSON document again (the JSON-object form is read twice). */
    @FunctionalInterface
    interface Source {
        InputStream open() throws IOException;
    }

    /** The whole body cannot be imported (JSON-object form): answered 400, nothing was stored. */
    static final class UnusableBodyException extends Exception {
        private static final long serialVersionUID = 1L;
        private final String code;
        private final int line;
        private final int column;

        UnusableBodyException(String code, String message, JsonLocation at) {
            super(message);
            this.code = code;
            this.line = at == null ? 0 : Math.max(at.getLineNr(), 0);
            this.column = at == null ? 0 : Math.max(at.getColumnNr(), 0);
        }

        /** Short error code: {@code malformed_json}, {@code wrong_type}, {@code empty_body}, {@code no_evidence}. */
        String code() {
            return code;
        }

        /** 1-based line of the problem, 0 when unknown. */
        int line() {
            return line;
        }

        int column() {
            return column;
        }
    }

    /** The top-level field of a v3 list answer ({@code {"request_id", "data": [grants…], "next_cursor"}}). */
    static final String GRANTS_FIELD = "data";
    /** An evidence bundle's single account, accepted as a one-element {@code accounts}. */
    static final String ACCOUNT_FIELD = "account";
    private static final Set<String> GRANTS_LIST_META = Set.of("request_id", "next_cursor");

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            // A record with a key twice is ambiguous: reject it rather than keep the last value.
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // Error messages quote positions, never the (possibly large, possibly personal) input.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    /** One NDJSON line: exactly one value ("{…} garbage" is malformed). */
    private static final ObjectReader LINE_READER = MAPPER.readerFor(Object.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** One element of a document being streamed: the parser goes on after it. */
    private static final ObjectReader ELEMENT_READER = MAPPER.readerFor(Object.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final EvidenceReader reader;
    private final EvidenceStore store;
    private final int batchSize;
    private final UnaryOperator<EvidenceRecord> transform;

    /**
     * @param transform applied to every record before it is stored (the demo fleet's time shift);
     *                  {@link UnaryOperator#identity()} for real imports
     */
    EvidenceImporter(EvidenceReader reader, EvidenceStore store, int batchSize, UnaryOperator<EvidenceRecord> transform) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.reader = reader;
        this.store = store;
        this.batchSize = batchSize;
        this.transform = transform;
    }

    // ------------------------------------------------------------------------------------------ NDJSON

    /**
     * Imports NDJSON: one JSON object per line with a {@code "kind"}. A line that cannot be used is
     * rejected on its own; blank lines are skipped.
     *
     * @param firstLine   number of the stream's first line (1, or more when a caller consumed a header)
     * @param progress    told the bytes read so far after each chunk; may throw to cancel
     */
    void ndjson(InputStream in, int maxLineBytes, long firstLine, ImportReport report, LongConsumer progress)
            throws IOException {
        Batch batch = new Batch(report);
        byte[] chunk = new byte[64 * 1024];
        LineBuffer line = new LineBuffer(maxLineBytes);
        long lineNo = firstLine;
        long total = 0;
        int n;
        while ((n = in.read(chunk)) != -1) {
            total += n;
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (chunk[i] == '\n') {
                    line.append(chunk, start, i - start);
                    ndjsonLine(lineNo++, line, batch, report);
                    line.reset();
                    start = i + 1;
                }
            }
            line.append(chunk, start, n - start);
            progress.accept(total);
        }
        if (line.length() > 0 || line.overflowed()) {
            ndjsonLine(lineNo, line, batch, report);
        }
        batch.flush();
    }

    private void ndjsonLine(long lineNo, LineBuffer line, Batch batch, ImportReport report) {
        if (line.overflowed()) {
            report.reject(lineNo, null, "the line is longer than " + line.max() + " bytes (max.line.bytes); "
                    + "one record per line is expected");
            return;
        }
        byte[] bytes = line.bytes();
        int from = 0;
        int to = line.length();
        if (to >= 3 && bytes[0] == UTF8_BOM[0] && bytes[1] == UTF8_BOM[1] && bytes[2] == UTF8_BOM[2]) {
            from = 3; // a BOM written by an editor at the start of the file
        }
        while (to > from && isSpace(bytes[to - 1])) {
            to--;
        }
        while (from < to && isSpace(bytes[from])) {
            from++;
        }
        if (from == to) {
            return; // blank line
        }
        Object value;
        try {
            value = LINE_READER.readValue(bytes, from, to - from);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            report.reject(lineNo, null, "malformed JSON" + (at != null && at.getColumnNr() > 0
                    ? " at column " + at.getColumnNr() : "") + ": " + oneLine(e.getOriginalMessage()));
            return;
        } catch (IOException e) {
            report.reject(lineNo, null, "unreadable text: " + oneLine(e.getMessage()));
            return;
        }
        if (!(value instanceof Map)) {
            report.reject(lineNo, null, "must be a JSON object with a \"kind\" (" + RecordKind.NDJSON_KINDS
                    + "), got " + typeName(value));
            return;
        }
        Object kindValue = ((Map<?, ?>) value).get("kind");
        if (!(kindValue instanceof String)) {
            report.reject(lineNo, null, kindValue == null
                    ? "\"kind\" is required: one of " + RecordKind.NDJSON_KINDS
                    : "\"kind\" must be a string (one of " + RecordKind.NDJSON_KINDS + "), got " + typeName(kindValue));
            return;
        }
        RecordKind kind = RecordKind.ofKind((String) kindValue);
        if (kind == null) {
            report.reject(lineNo, null, "unknown kind \"" + kindValue + "\": expected one of " + RecordKind.NDJSON_KINDS);
            return;
        }
        record(kind, value, kind.kind(), lineNo, null, batch, report);
    }

    // -------------------------------------------------------------------------------------------- JSON

    /**
     * Imports one JSON document: an object with any of the evidence arrays ({@code accounts},
     * {@code api_log}, {@code sync_log}, {@code auth_log}, {@code webhooks}; also a single
     * {@code account}), a v3 list answer ({@code {"data": [grants…]}}), or an array (the v2
     * {@code GET /a/{client_id}/accounts} export; elements that carry a {@code "kind"} are read as
     * that kind). The document is first checked whole, so a malformed one stores nothing.
     */
    void json(Source source, ImportReport report, LongConsumer progress) throws IOException, UnusableBodyException {
        Shape shape;
        try (InputStream in = source.open()) {
            shape = validate(in);
        }
        Batch batch = new Batch(report);
        try (InputStream in = source.open(); JsonParser p = MAPPER.createParser(in)) {
            JsonToken root = p.nextToken();
            if (root == JsonToken.START_ARRAY) {
                elements(p, null, "", batch, report, progress);
            } else {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    RecordKind kind = shape.grantsList && GRANTS_FIELD.equals(field) ? RecordKind.ACCOUNT
                            : shape.grantsList ? null : RecordKind.ofArray(field);
                    if (kind != null && value == JsonToken.START_ARRAY) {
                        elements(p, kind, field, batch, report, progress);
                    } else if (!shape.grantsList && ACCOUNT_FIELD.equals(field) && value == JsonToken.START_OBJECT) {
                        long line = p.currentTokenLocation().getLineNr();
                        Object raw = ELEMENT_READER.readValue(p);
                        record(RecordKind.ACCOUNT, raw, ACCOUNT_FIELD, line, ACCOUNT_FIELD, batch, report);
                    } else {
                        if (value != JsonToken.VALUE_NULL && kind == null
                                && !(shape.grantsList && GRANTS_LIST_META.contains(field))) {
                            report.ignoredField(field);
                        }
                        p.skipChildren();
                    }
                }
            }
        } catch (JsonProcessingException e) {
            // validate() read the same bytes without error: the source changed under us (a file being written).
            throw new IOException("the document changed while it was imported: " + oneLine(e.getOriginalMessage()), e);
        }
        batch.flush();
    }

    /** Streams the elements of the array the parser is on. {@code kind} null: account, or the element's "kind". */
    private void elements(JsonParser p, RecordKind kind, String arrayName, Batch batch, ImportReport report,
                          LongConsumer progress) throws IOException {
        int index = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            long line = p.currentTokenLocation().getLineNr();
            Object raw = ELEMENT_READER.readValue(p);
            String path = arrayName + "[" + index++ + "]";
            RecordKind k = kind;
            if (k == null) {
                k = RecordKind.ACCOUNT;
                Object given = raw instanceof Map ? ((Map<?, ?>) raw).get("kind") : null;
                if (given != null) {
                    k = given instanceof String ? RecordKind.ofKind((String) given) : null;
                    if (k == null) {
                        report.reject(line, path, "unknown kind " + given + ": expected one of " + RecordKind.NDJSON_KINDS);
                        continue;
                    }
                }
            }
            record(k, raw, path, line, path, batch, report);
            progress.accept(p.currentLocation().getByteOffset());
        }
    }

    private record Shape(boolean grantsList) {
    }

    /**
     * Checks the whole document (syntax, duplicate keys, the types of the evidence arrays) without
     * keeping it, and tells which form it has.
     */
    private static Shape validate(InputStream in) throws IOException, UnusableBodyException {
        try (JsonParser p = MAPPER.createParser(in)) {
            JsonToken root = p.nextToken();
            if (root == null) {
                throw new UnusableBodyException("empty_body", "the body is empty: send a JSON object with any of "
                        + RecordKind.ARRAY_NAMES + ", the v2 account list or the v3 grants list", null);
            }
            Shape shape;
            if (root == JsonToken.START_ARRAY) {
                p.skipChildren();
                shape = new Shape(false);
            } else if (root == JsonToken.START_OBJECT) {
                Set<String> fields = new LinkedHashSet<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonLocation at = p.currentTokenLocation();
                    JsonToken value = p.nextToken();
                    boolean array = RecordKind.ofArray(field) != null || GRANTS_FIELD.equals(field);
                    if (array && value != JsonToken.START_ARRAY && value != JsonToken.VALUE_NULL) {
                        throw new UnusableBodyException("wrong_type", field + ": must be a JSON array, got "
                                + tokenName(value), at);
                    }
                    if (ACCOUNT_FIELD.equals(field) && value != JsonToken.START_OBJECT && value != JsonToken.VALUE_NULL) {
                        throw new UnusableBodyException("wrong_type", "account: must be a JSON object, got "
                                + tokenName(value), at);
                    }
                    fields.add(field);
                    p.skipChildren();
                }
                boolean evidence = fields.contains(ACCOUNT_FIELD)
                        || fields.stream().anyMatch(f -> RecordKind.ofArray(f) != null);
                boolean grants = !evidence && fields.contains(GRANTS_FIELD);
                if (!evidence && !grants) {
                    throw new UnusableBodyException("no_evidence", "the JSON object has none of "
                            + RecordKind.ARRAY_NAMES + " (nor a v3 list's \"data\"); got "
                            + (fields.isEmpty() ? "no fields" : "fields " + String.join(", ", fields))
                            + ". For one record per line send Content-Type application/x-ndjson", null);
                }
                shape = new Shape(grants);
            } else {
                throw new UnusableBodyException("wrong_type", "the body must be a JSON object (or the v2 account "
                        + "list, an array), not " + tokenName(root), p.currentTokenLocation());
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new UnusableBodyException("malformed_json", "more than one JSON value: content follows the "
                        + "document at line " + p.currentTokenLocation().getLineNr() + ". For one record per line "
                        + "send Content-Type application/x-ndjson (or name the file .ndjson)", p.currentTokenLocation());
            }
            return shape;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at != null && at.getLineNr() > 0
                    ? " at line " + at.getLineNr() + ", column " + at.getColumnNr() : "";
            throw new UnusableBodyException("malformed_json", "the body is not valid JSON" + where + ": "
                    + oneLine(e.getOriginalMessage()), at);
        }
    }

    // ------------------------------------------------------------------------------------------ records

    /** Reads one record with the engine's reader, checks what the store needs, and queues it. */
    private void record(RecordKind kind, Object raw, String path, long line, String recordPath, Batch batch,
                        ImportReport report) {
        List<EvidenceRecord> records;
        try {
            records = convert(kind, raw, path);
        } catch (InvalidEvidenceException e) {
            report.reject(line, recordPath, e.getMessage());
            return;
        }
        if (records.isEmpty()) {
            report.ignored(); // e.g. a message.created notification: acknowledged, nothing to keep
            return;
        }
        batch.add(line, recordPath, records);
    }

    /** The store records of one input record (a v2 delivery carries several notifications). */
    List<EvidenceRecord> convert(RecordKind kind, Object raw, String path) throws InvalidEvidenceException {
        List<EvidenceRecord> out = new ArrayList<>(1);
        switch (kind) {
            case ACCOUNT -> out.add(new EvidenceRecord.AccountSnapshot(reader.account(raw, path)));
            case WEBHOOK -> {
                for (AccountEvent event : reader.notifications(raw, path)) {
                    if (!kept(event.type())) {
                        continue; // message.*, thread.* …: acknowledged, nothing to keep
                    }
                    if (blank(event.accountId()) && blank(event.email())) {
                        throw new InvalidEvidenceException(path, "the " + event.type()
                                + " notification names neither an account/grant id nor an email");
                    }
                    if (event.timestamp() == null) {
                        throw new InvalidEvidenceException(path + ".date", "the " + event.type()
                                + " notification has no date/time: it cannot be placed in the account's history");
                    }
                    out.add(new EvidenceRecord.Notification(event, deliveryKey(event)));
                }
            }
            case API_LOG -> {
                ApiCall call = reader.apiCall(raw, path);
                if (blank(call.accountId()) && blank(call.email())) {
                    throw new InvalidEvidenceException(path, "an api_log record must carry account_id (or grant_id) "
                            + "and/or email; application-level calls match no account and are not stored");
                }
                if (call.timestamp() == null) {
                    throw new InvalidEvidenceException(path + ".timestamp", "is required for an api_log record "
                            + "(whether a call came before the state change decides S1)");
                }
                out.add(new EvidenceRecord.ApiLogEntry(call));
            }
            case SYNC_LOG, AUTH_LOG -> {
                LogLine logLine = reader.logLine(kind.logSource(), raw, path);
                if (blank(logLine.accountId()) && blank(logLine.email())) {
                    throw new InvalidEvidenceException(path, "a " + kind.kind() + " record must carry account_id "
                            + "(or grant_id) and/or email: a log line naming neither belongs to no account");
                }
                out.add(new EvidenceRecord.LogEntry(logLine));
            }
            default -> throw new IllegalStateException("unhandled kind " + kind);
        }
        out.replaceAll(transform);
        return out;
    }

    /** Triggers about the account or grant itself: the evidence of a state change (as the webhook receiver keeps). */
    static boolean kept(String type) {
        return type != null && (type.startsWith("account.") || type.startsWith("grant."));
    }

    /**
     * The idempotency key of spec/api.md, spelled as the webhook receiver spells it so that a delivery
     * both received and imported is stored once: v3 by notification id; v2 deltas, which carry no id,
     * by account id + type + date (epoch seconds, as v2 sends them).
     */
    static String deliveryKey(AccountEvent event) {
        if (!blank(event.notificationId())) {
            return "v3:" + event.notificationId().trim();
        }
        String who = blank(event.accountId()) ? "email:" + event.email().trim().toLowerCase(Locale.ROOT)
                : event.accountId().trim();
        return "v2:" + who + ":" + event.type() + ":" + event.timestamp().getEpochSecond();
    }

    // ------------------------------------------------------------------------------------------- batch

    /** Records waiting for one store transaction, with where each came from. */
    private final class Batch {
        private record Pending(long line, String path, List<EvidenceRecord> records) {
        }

        private final ImportReport report;
        private final List<Pending> pending = new ArrayList<>();
        private final Set<String> keys = new java.util.HashSet<>();
        private int size;

        Batch(ImportReport report) {
            this.report = report;
        }

        void add(long line, String path, List<EvidenceRecord> records) {
            // The same delivery twice in one store call: stored once, counted as a duplicate (the store
            // only ever sees distinct keys in one call).
            List<EvidenceRecord> distinct = new ArrayList<>(records.size());
            for (EvidenceRecord r : records) {
                if (r instanceof EvidenceRecord.Notification n && !keys.add(n.deliveryKey())) {
                    report.stored(0, 1);
                } else {
                    distinct.add(r);
                }
            }
            if (distinct.isEmpty()) {
                report.accepted(1);
                return;
            }
            records = distinct;
            pending.add(new Pending(line, path, records));
            size += records.size();
            if (size >= batchSize) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<EvidenceRecord> all = new ArrayList<>(size);
            for (Pending p : pending) {
                all.addAll(p.records());
            }
            try {
                StoreResult result = store.store(all);
                report.stored(result.stored(), result.duplicates());
                report.accepted(pending.size());
            } catch (IllegalArgumentException refused) {
                // One record the store will not take: nothing of the batch was stored. Find it by storing
                // one input record at a time, so the good ones are kept.
                for (Pending p : pending) {
                    try {
                        StoreResult result = store.store(p.records());
                        report.stored(result.stored(), result.duplicates());
                        report.accepted(1);
                    } catch (IllegalArgumentException e) {
                        report.reject(p.line(), p.path(), "refused by the evidence store: " + e.getMessage());
                    }
                }
            }
            pending.clear();
            keys.clear();
            size = 0;
        }
    }

    /** The bytes of the current NDJSON line, up to a limit; beyond it only the fact is kept. */
    private static final class LineBuffer {
        private final int max;
        private byte[] bytes = new byte[1024];
        private int length;
        private boolean overflowed;

        LineBuffer(int max) {
            this.max = max;
        }

        void append(byte[] source, int offset, int count) {
            if (count <= 0 || overflowed) {
                return;
            }
            if ((long) length + count > max) {
                overflowed = true;
                return;
            }
            if (length + count > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.min(max, Math.max(bytes.length * 2, length + count)));
            }
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        void reset() {
            length = 0;
            overflowed = false;
            if (bytes.length > 64 * 1024) {
                bytes = new byte[1024]; // one huge line must not pin its buffer for the rest of the file
            }
        }

        byte[] bytes() {
            return bytes;
        }

        int length() {
            return length;
        }

        boolean overflowed() {
            return overflowed;
        }

        int max() {
            return max;
        }
    }

    // ----------------------------------------------------------------------------------------- helpers

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Map) {
            return "an object";
        }
        if (v instanceof List) {
            return "an array";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        return v.getClass().getSimpleName();
    }

    private static String tokenName(JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.asString() == null ? t.name() : t.asString();
        };
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }
}
