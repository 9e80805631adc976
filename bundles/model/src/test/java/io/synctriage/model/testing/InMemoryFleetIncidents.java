package io.synctriage.model.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.FleetIncidents;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.PatternKind;

/**
 * Incidents in memory, filtered as {@link IncidentQuery} documents, latest {@code lastAt} first. Its cursors are
 * {@code at:<offset>}; anything else is refused with an {@link IllegalArgumentException}, as a real store refuses
 * a cursor it did not issue.
 */
public class InMemoryFleetIncidents implements FleetIncidents {

    /** The incidents it answers from; tests may change them between calls. */
    public final List<Incident> incidents = new ArrayList<>();
    /** The query of the latest {@link #incidents(IncidentQuery)} call. */
    public volatile IncidentQuery lastQuery;
    /** When set, every call throws it (a store that fails). */
    public volatile RuntimeException failure;

    public InMemoryFleetIncidents add(Incident incident) {
        incidents.add(incident);
        return this;
    }

    @Override
    public IncidentPage incidents(IncidentQuery query) {
        fail();
        lastQuery = query;
        int offset = 0;
        if (query.cursor() != null) {
            if (!query.cursor().matches("at:\\d+")) {
                throw new IllegalArgumentException("not a cursor: " + query.cursor());
            }
            offset = Integer.parseInt(query.cursor().substring(3));
        }
        List<Incident> matching = incidents.stream()
                .filter(i -> query.since() == null || !i.lastAt().isBefore(query.since()))
                .filter(i -> query.domain() == null || i.domains().stream().anyMatch(query.domain()::equalsIgnoreCase))
                .filter(i -> query.provider() == null || query.provider().equalsIgnoreCase(i.provider())
                        || (i.family() != null && query.provider().equalsIgnoreCase(i.family().id())))
                .filter(i -> query.cause() == null || query.cause() == i.cause())
                .filter(i -> query.status() == null || query.status() == i.status())
                .sorted(Comparator.comparing(Incident::lastAt).reversed())
                .toList();
        int end = Math.min(matching.size(), offset + query.limit());
        String next = end < matching.size() ? "at:" + end : null;
        return new IncidentPage(matching.subList(Math.min(offset, end), end), next);
    }

    @Override
    public Optional<Incident> incident(String id) {
        fail();
        return incidents.stream().filter(i -> i.id().equals(id)).findFirst();
    }

    @Override
    public List<Incident> incidentsOf(String accountId) {
        fail();
        return incidents.stream().filter(i -> i.hasMember(accountId))
                .sorted(Comparator.comparing(Incident::lastAt).reversed()).toList();
    }

    private void fail() {
        if (failure != null) {
            throw failure;
        }
    }

    /** A provider-wide incident: the app's Azure client secret expired, 3 tenants within 18 min, still open. */
    public static Incident providerWide() {
        return new Incident("inc-000002", PatternKind.PROVIDER_WIDE, Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, null,
                List.of("alder-labs.com", "birch-legal.com", "cedar-ops.com"), ProviderFamily.MICROSOFT, "office365",
                IncidentStatus.OPEN, null, null, t("2026-11-20T09:00:00Z"), t("2026-11-20T09:18:00Z"), null, 0,
                List.of(member("acc-ada", "ada@alder-labs.com", "2026-11-20T09:00:00Z"),
                        member("acc-bo", "bo@birch-legal.com", "2026-11-20T09:07:00Z"),
                        member("acc-cy", "cy@cedar-ops.com", "2026-11-20T09:18:00Z")),
                List.of("AADSTS7000215"), "3 accounts of 3 domains (microsoft) invalid within 18 min: invalid_client",
                List.of(new EvidenceItem("auth_log", t("2026-11-20T09:00:00Z"), "ada@alder-labs.com: AADSTS7000215"),
                        new EvidenceItem("auth_log", t("2026-11-20T09:07:00Z"), "bo@birch-legal.com: AADSTS7000215")),
                t("2026-11-20T09:18:30Z"));
    }

    /** A recurring incident: a 12 h sign-in frequency policy, closed after recurring twice. */
    public static Incident recurring() {
        return new Incident("inc-000001", PatternKind.RECURRING, Cause.CA_SIGNIN_FREQUENCY, "kestrel-aero.com",
                List.of("kestrel-aero.com"), ProviderFamily.MICROSOFT, "office365", IncidentStatus.CLOSED, 43_200L,
                600L, t("2026-11-10T08:00:00Z"), t("2026-11-18T20:05:00Z"), t("2026-11-19T20:05:00Z"), 2,
                List.of(new IncidentMember("acc-kim", "kim@kestrel-aero.com", "office365", t("2026-11-10T08:00:00Z"),
                                t("2026-11-18T20:05:00Z"), 4, "AADSTS70043", 43_500L),
                        new IncidentMember("acc-lu", null, null, t("2026-11-10T08:09:00Z"),
                                t("2026-11-10T08:09:00Z"), 1, null, null)),
                List.of("AADSTS70043"), "2 accounts of kestrel-aero.com invalid about 12 h after each sign-in",
                List.of(), t("2026-11-19T20:05:00Z"));
    }

    private static IncidentMember member(String id, String email, String failedAt) {
        return new IncidentMember(id, email, "office365", t(failedAt), t(failedAt), 1, "AADSTS7000215", null);
    }

    public static Instant t(String iso) {
        return Instant.parse(iso);
    }
}
