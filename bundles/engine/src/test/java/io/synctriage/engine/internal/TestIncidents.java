package io.synctriage.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * Test helper: fleet incidents written as JSON objects (the field names of the incidents API, plus
 * the member fields of {@link IncidentMember}), and evidence as the store hands it over with them.
 */
final class TestIncidents {

    private TestIncidents() {
    }

    /** The evidence of a bundle plus the incidents the store found the account in. */
    static Evidence with(Evidence ev, List<Incident> incidents) {
        return new Evidence(ev.account(), ev.events(), ev.apiLog(), ev.syncLog(), ev.authLog(), ev.peers(), ev.now(),
                ev.supplied(), incidents);
    }

    @SuppressWarnings("unchecked")
    static List<Incident> parse(List<?> raw) {
        List<Incident> out = new ArrayList<>();
        for (Object o : raw) {
            out.add(incident((Map<String, Object>) o));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Incident incident(Map<String, Object> m) {
        List<IncidentMember> members = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("accounts", List.of())) {
            Map<String, Object> a = (Map<String, Object>) o;
            Instant failedAt = instant(a.get("failed_at"));
            members.add(new IncidentMember((String) a.get("id"), (String) a.get("email"), (String) a.get("provider"),
                    failedAt, a.containsKey("last_failed_at") ? instant(a.get("last_failed_at")) : failedAt,
                    ((Number) a.getOrDefault("failures", 1)).intValue(), (String) a.get("signature"),
                    longOrNull(a.get("interval_seconds"))));
        }
        List<EvidenceItem> evidence = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("evidence", List.of())) {
            Map<String, Object> e = (Map<String, Object>) o;
            evidence.add(new EvidenceItem((String) e.get("source"), instant(e.get("timestamp")), (String) e.get("text")));
        }
        String cause = (String) m.get("cause");
        String family = (String) m.get("family");
        String status = (String) m.getOrDefault("status", "open");
        return new Incident((String) m.get("id"), PatternKind.valueOf((String) m.get("kind")),
                cause == null ? null : Cause.valueOf(cause), (String) m.get("domain"),
                (List<String>) m.getOrDefault("domains", List.of()), family == null ? null : ProviderFamily.fromId(family),
                (String) m.get("provider"), IncidentStatus.ofWireName(status), longOrNull(m.get("period_seconds")),
                longOrNull(m.get("tolerance_seconds")), instant(m.get("first_at")), instant(m.get("last_at")),
                instant(m.get("closed_at")), ((Number) m.getOrDefault("reopen_count", 0)).intValue(), members,
                (List<String>) m.getOrDefault("signatures", List.of()), (String) m.get("summary"), evidence,
                instant(m.get("last_at")));
    }

    /** One member failing once at {@code at}. */
    static IncidentMember member(String id, String email, Instant at) {
        return new IncidentMember(id, email, null, at, at, 1, null, null);
    }

    /** An open incident of these members (earliest failure first). */
    static Incident incident(String id, PatternKind kind, Cause cause, String domain, Long periodSeconds,
                             List<IncidentMember> members, String summary) {
        Instant first = members.get(0).failedAt();
        Instant last = members.get(members.size() - 1).lastFailedAt();
        List<String> domains = new ArrayList<>();
        for (IncidentMember m : members) {
            String d = m.email().substring(m.email().indexOf('@') + 1);
            if (!domains.contains(d)) {
                domains.add(d);
            }
        }
        return new Incident(id, kind, cause, domain, domains, ProviderFamily.MICROSOFT, "office365", IncidentStatus.OPEN,
                periodSeconds, null, first, last, null, 0, members, List.of(), summary, List.of(), last);
    }

    private static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof Number ? Instant.ofEpochSecond(((Number) o).longValue()) : Instant.parse((String) o);
    }

    private static Long longOrNull(Object o) {
        return o == null ? null : ((Number) o).longValue();
    }
}
