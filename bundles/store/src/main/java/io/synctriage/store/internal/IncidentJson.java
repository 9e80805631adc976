package io.synctriage.store.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.synctriage.model.EvidenceItem;
import io.synctriage.model.IncidentMember;

/**
 * The lists of an incident (members, signatures, domains, evidence) as one JSON document in
 * {@code incidents.details_json}, and back. Mapped field by field through a tree rather than by
 * binding the model records: the stored shape is this class's, with snake_case names and ISO-8601
 * instants, and stays readable when a model record gains a component (unknown fields are ignored,
 * missing ones are null).
 */
final class IncidentJson {

    /** What the details of one incident hold. */
    record Details(List<IncidentMember> members, List<String> signatures, List<String> domains,
                   List<EvidenceItem> evidence) {
    }

    private IncidentJson() {
    }

    static String write(Details d) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        ArrayNode members = root.putArray("members");
        for (IncidentMember m : d.members()) {
            ObjectNode o = members.addObject();
            o.put("account_id", m.accountId());
            o.put("email", m.email());
            o.put("provider", m.provider());
            o.put("failed_at", text(m.failedAt()));
            o.put("last_failed_at", text(m.lastFailedAt()));
            o.put("failures", m.failures());
            o.put("signature", m.signature());
            o.put("interval_seconds", m.intervalSeconds());
        }
        ArrayNode signatures = root.putArray("signatures");
        d.signatures().forEach(signatures::add);
        ArrayNode domains = root.putArray("domains");
        d.domains().forEach(domains::add);
        ArrayNode evidence = root.putArray("evidence");
        for (EvidenceItem e : d.evidence()) {
            ObjectNode o = evidence.addObject();
            o.put("source", e.source());
            o.put("timestamp", text(e.timestamp()));
            o.put("text", e.text());
        }
        try {
            return Json.MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            // a tree of strings and numbers always serialises
            throw new IllegalStateException("cannot serialise incident details", e);
        }
    }

    /**
     * Reads a stored document.
     *
     * @throws IllegalArgumentException when it is not one (a damaged row)
     */
    static Details read(String json) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("incident details are not JSON: " + e.getOriginalMessage(), e);
        }
        List<IncidentMember> members = new ArrayList<>();
        for (JsonNode m : root.path("members")) {
            members.add(new IncidentMember(string(m, "account_id"), string(m, "email"), string(m, "provider"),
                    instant(m, "failed_at"), instant(m, "last_failed_at"), m.path("failures").asInt(0),
                    string(m, "signature"), m.hasNonNull("interval_seconds") ? m.get("interval_seconds").asLong() : null));
        }
        List<EvidenceItem> evidence = new ArrayList<>();
        for (JsonNode e : root.path("evidence")) {
            evidence.add(new EvidenceItem(string(e, "source"), instant(e, "timestamp"), string(e, "text")));
        }
        return new Details(members, strings(root.path("signatures")), strings(root.path("domains")), evidence);
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String string(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String s = string(node, field);
        if (s == null) {
            return null;
        }
        Instant fast = parseUtc(s);
        if (fast != null) {
            return fast;
        }
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("incident details: " + field + " is not an instant: " + s, e);
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, the shape {@link Instant#toString()} writes for the years 0000-9999,
     * or null for anything else. {@link Instant#parse} costs about a microsecond (a formatter run per
     * call); with two instants per member it was most of the time of reading a page of incidents.
     */
    static Instant parseUtc(String s) {
        int n = s.length();
        if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':'
                || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
                || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            nanos = digits(s, 20, n - 1);
            if (nanos < 0) {
                return null;
            }
            for (int i = fraction; i < 9; i++) {
                nanos *= 10;
            }
        } else if (n != 20) {
            return null;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400L + hour * 3_600L + minute * 60L + second, nanos);
    }

    /** The decimal number in s[from, to), or -1 when a character is not a digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            v = v * 10 + (ch - '0');
        }
        return v;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : array) {
            if (!v.isNull()) {
                out.add(v.asText());
            }
        }
        return out;
    }
}
