package io.synctriage.source.importer.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an import did: records accepted (stored durably, or acknowledged and ignored), records rejected
 * with where and why. Filled by one import on one thread.
 */
final class ImportReport {

    /** One rejected record: its line (1-based, 0 when unknown), its path in a JSON document, or null, and why. */
    record Rejection(long line, String record, String error) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", line);
            if (record != null) {
                m.put("record", record);
            }
            m.put("error", error);
            return m;
        }

        /** {@code line 12 (accounts[3]): why}. */
        String describe() {
            StringBuilder b = new StringBuilder();
            b.append(line > 0 ? "line " + line : "");
            if (record != null) {
                b.append(b.length() > 0 ? " (" + record + ")" : record);
            }
            return b.append(": ").append(error).toString();
        }
    }

    private final String format;
    private final int maxListed;
    private final List<Rejection> rejected = new ArrayList<>();
    private final List<String> ignoredFields = new ArrayList<>();
    private long rejectedCount;
    private long accepted;
    private long stored;
    private long duplicates;
    private long ignored;

    ImportReport(String format, int maxListed) {
        this.format = format;
        this.maxListed = maxListed;
    }

    void accepted(long n) {
        accepted += n;
    }

    void stored(long records, long duplicateNotifications) {
        stored += records;
        duplicates += duplicateNotifications;
    }

    /** A record acknowledged but with nothing to store (a notification about messages, threads…). */
    void ignored() {
        ignored++;
        accepted++;
    }

    void reject(long line, String record, String error) {
        rejectedCount++;
        if (rejected.size() < maxListed) {
            rejected.add(new Rejection(line, record, error));
        }
    }

    /** A top-level field of a JSON-object body that carries no evidence kind (it was not imported). */
    void ignoredField(String name) {
        ignoredFields.add(name);
    }

    String format() {
        return format;
    }

    long accepted() {
        return accepted;
    }

    long rejectedCount() {
        return rejectedCount;
    }

    List<Rejection> rejected() {
        return Collections.unmodifiableList(rejected);
    }

    long stored() {
        return stored;
    }

    long duplicates() {
        return duplicates;
    }

    long ignoredCount() {
        return ignored;
    }

    List<String> ignoredFields() {
        return Collections.unmodifiableList(ignoredFields);
    }

    /** The answer of POST /api/v1/evidence (spec/api.md): accepted and rejected first, then the details. */
    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", accepted);
        List<Map<String, Object>> list = new ArrayList<>(rejected.size());
        for (Rejection r : rejected) {
            list.add(r.toJson());
        }
        m.put("rejected", list);
        m.put("rejected_count", rejectedCount);
        if (rejectedCount > rejected.size()) {
            m.put("rejected_truncated", true);
        }
        m.put("format", format);
        m.put("stored", stored);
        m.put("duplicates", duplicates);
        m.put("ignored", ignored);
        if (!ignoredFields.isEmpty()) {
            m.put("ignored_fields", List.copyOf(ignoredFields));
        }
        return m;
    }
}
