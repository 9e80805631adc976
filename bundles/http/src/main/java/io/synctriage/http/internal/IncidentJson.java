package io.synctriage.http.internal;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

import io.synctriage.model.Actor;
import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentPage;

/**
 * The wire shape of a fleet incident, the same in the list ({@code GET /api/v1/fleet/incidents}) and for one
 * incident ({@code GET /api/v1/fleet/incidents/{id}}).
 *
 * <p>The contract fields of spec/api.md come first, in its order ({@code id, domain, domains, provider, cause,
 * status, period_seconds, accounts, first_at, last_at}); the rest are additions. Enums are written as their wire
 * names here rather than left to {@link JsonMapping}, because {@code PatternKind} has no lower-case
 * {@code toString()} and the contract wants {@code open}/{@code closed}. Nulls are written: a provider-wide
 * incident has {@code "domain": null}, a same-moment one {@code "period_seconds": null}.
 */
final class IncidentJson {

    private IncidentJson() {
    }

    /** One incident; record components are written in declaration order, snake_case. */
    record IncidentBody(String id, String domain, List<String> domains, String provider, String cause, String status,
                        Long periodSeconds, List<MemberBody> accounts, Instant firstAt, Instant lastAt,
                        String kind, String actor, String family, Long toleranceSeconds, Instant closedAt,
                        int reopenCount, String summary, List<String> signatures, List<EvidenceItem> evidence,
                        Instant updatedAt) {
    }

    /** One member account. */
    record MemberBody(String id, String email, String provider, Instant failedAt, Instant lastFailedAt, int failures,
                      String signature, Long intervalSeconds) {
    }

    /** A page: {@code next} is the cursor of the following page, JSON null on the last. */
    record IncidentList(List<IncidentBody> incidents, String next) {
    }

    static IncidentList of(IncidentPage page) {
        return new IncidentList(page.incidents().stream().map(IncidentJson::of).toList(), page.next());
    }

    static IncidentBody of(Incident i) {
        Cause cause = i.cause();
        Actor actor = cause == null ? null : cause.actor();
        return new IncidentBody(i.id(), i.domain(), i.domains(), i.provider(), cause == null ? null : cause.name(),
                i.status() == null ? null : i.status().wireName(), i.periodSeconds(),
                i.accounts().stream().map(IncidentJson::of).toList(), i.firstAt(), i.lastAt(),
                i.kind() == null ? null : i.kind().name().toLowerCase(Locale.ROOT), actor == null ? null : actor.name(),
                i.family() == null ? null : i.family().id(), i.toleranceSeconds(), i.closedAt(), i.reopenCount(),
                i.summary(), i.signatures(), i.evidence(), i.updatedAt());
    }

    static MemberBody of(IncidentMember m) {
        return new MemberBody(m.accountId(), m.email(), m.provider(), m.failedAt(), m.lastFailedAt(), m.failures(),
                m.signature(), m.intervalSeconds());
    }
}
