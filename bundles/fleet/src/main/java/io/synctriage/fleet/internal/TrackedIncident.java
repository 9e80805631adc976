package io.synctriage.fleet.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import io.synctriage.model.Cause;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.IncidentStatus;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.FleetFailure;
import io.synctriage.model.spi.PatternKind;

/**
 * One incident of the tracker's working set, mutable while the tracker merges candidates into it; saved
 * as an immutable {@link Incident} ({@link #snapshot()}). Members are indexed by account, so merging a
 * failure that is already counted (a replay, a repeated candidate) changes nothing.
 */
final class TrackedIncident {

    /** Evidence items kept per incident: the first failures that linked the accounts. */
    static final int MAX_EVIDENCE = 20;

    /** One member account. */
    static final class Member {
        final String accountId;
        String email;
        String provider;
        ProviderFamily family;
        Instant failedAt;
        Instant lastFailedAt;
        int failures;
        String signature;
        Long intervalSeconds;

        Member(String accountId) {
            this.accountId = accountId;
        }

        String domain() {
            if (email == null) {
                return null;
            }
            int at = email.lastIndexOf('@');
            return at < 0 || at == email.length() - 1 ? null : email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
        }

        String label() {
            return email != null ? email : accountId;
        }

        /** Whether a failure at {@code at} is already counted: it lies within the member's counted span. */
        boolean counts(Instant at) {
            return !at.isBefore(failedAt) && !at.isAfter(lastFailedAt);
        }
    }

    final String id;
    final String key;
    final PatternKind kind;
    final String domain;
    Cause cause;
    ProviderFamily family;
    IncidentStatus status = IncidentStatus.OPEN;
    Long periodSeconds;
    Long toleranceSeconds;
    Instant firstAt;
    Instant lastAt;
    Instant closedAt;
    int reopenCount;
    Instant updatedAt;
    /** Changed since the last save. */
    boolean dirty;
    final Map<String, Member> members = new LinkedHashMap<>();
    /** Evidence by "member label|instant", in the order the failures joined. */
    private final Map<String, EvidenceItem> evidence = new LinkedHashMap<>();

    TrackedIncident(String id, String key, PatternKind kind, String domain, Cause cause, ProviderFamily family) {
        this.id = id;
        this.key = key;
        this.kind = kind;
        this.domain = domain;
        this.cause = cause;
        this.family = family;
    }

    /** Back into the working set from the store. */
    static TrackedIncident of(Incident i) {
        TrackedIncident t = new TrackedIncident(i.id(), IncidentKeys.of(i), i.kind(), i.domain(), i.cause(), i.family());
        t.status = i.status();
        t.periodSeconds = i.periodSeconds();
        t.toleranceSeconds = i.toleranceSeconds();
        t.firstAt = i.firstAt();
        t.lastAt = i.lastAt();
        t.closedAt = i.closedAt();
        t.reopenCount = i.reopenCount();
        t.updatedAt = i.updatedAt();
        for (IncidentMember m : i.accounts()) {
            Member member = new Member(m.accountId());
            member.email = m.email();
            member.provider = m.provider();
            member.family = i.family();
            member.failedAt = m.failedAt();
            member.lastFailedAt = m.lastFailedAt() == null ? m.failedAt() : m.lastFailedAt();
            member.failures = Math.max(1, m.failures());
            member.signature = m.signature();
            member.intervalSeconds = m.intervalSeconds();
            t.members.put(FailureWindows.key(m.accountId()), member);
        }
        for (EvidenceItem e : i.evidence()) {
            // the text starts with the member's label (email or id, neither holds a space): the key a replayed
            // failure of that member finds, so the replay does not add it again
            int space = e.text() == null ? -1 : e.text().indexOf(' ');
            t.evidence.put(evidenceKey(space < 0 ? e.text() : e.text().substring(0, space), e.timestamp()), e);
        }
        return t;
    }

    /**
     * Counts one failure; false when it was counted already (and nothing else about it changed).
     *
     * @param interval the member's interval for a recurring or schedule pattern, or null
     */
    boolean addFailure(FleetFailure f, Long interval) {
        String k = FailureWindows.key(f.accountId());
        Instant at = f.at();
        Member m = members.get(k);
        boolean changed = false;
        if (m == null) {
            m = new Member(f.accountId());
            m.failedAt = at;
            m.lastFailedAt = at;
            m.failures = 1;
            members.put(k, m);
            changed = true;
        } else if (at.isBefore(m.failedAt)) {
            m.failedAt = at;
            m.failures++;
            changed = true;
        } else if (at.isAfter(m.lastFailedAt)) {
            m.lastFailedAt = at;
            m.failures++;
            changed = true;
        }
        boolean latest = at.equals(m.lastFailedAt);
        if (m.email == null && f.change().email() != null) {
            m.email = f.change().email();
            changed = true;
        }
        if (m.provider == null && f.change().provider() != null) {
            m.provider = f.change().provider();
            changed = true;
        }
        if (m.family == null) {
            m.family = f.change().family();
        }
        // the error that links it: a signature found later for the same failure (an error line imported
        // after the webhook) fills it in; the latest failure's signature otherwise
        if (f.signature() != null && !f.signature().equals(m.signature) && (m.signature == null || latest)) {
            m.signature = f.signature();
            changed = true;
        }
        if (interval != null && latest && !interval.equals(m.intervalSeconds)) {
            m.intervalSeconds = interval;
            changed = true;
        }
        if (firstAt == null || at.isBefore(firstAt)) {
            firstAt = at;
            changed = true;
        }
        if (lastAt == null || at.isAfter(lastAt)) {
            lastAt = at;
            changed = true;
        }
        changed |= addEvidence(f, m);
        return changed;
    }

    private static String evidenceKey(String label, Instant at) {
        return FailureWindows.key(label) + "|" + at;
    }

    private boolean addEvidence(FleetFailure f, Member m) {
        String k = evidenceKey(m.label(), f.at());
        EvidenceItem old = evidence.get(k);
        if (old == null && evidence.size() >= MAX_EVIDENCE) {
            return false;
        }
        String state = f.change().state() == null ? "failed" : f.change().state();
        String text = m.label() + " " + state + (f.text() == null ? "" : ": " + f.text());
        if (old != null && old.text().equals(text)) {
            return false;
        }
        if (old != null && f.text() == null) {
            return false; // keep the text a line gave it
        }
        String source = f.change().trigger() == null ? EvidenceSource.ACCOUNT.key() : EvidenceSource.WEBHOOKS.key();
        evidence.put(k, new EvidenceItem(source, f.at(), text));
        return true;
    }

    boolean hasFailure(FleetFailure f) {
        Member m = members.get(FailureWindows.key(f.accountId()));
        return m != null && m.counts(f.at());
    }

    /**
     * How long without a new failure before it closes: patterns that recur with their period (a session
     * policy, Testing mode's 7 days after each new authorisation) wait two periods at least. The inactivity
     * schedule's "period" is how long its accounts were idle: they fail once each, whenever next used.
     */
    Duration quietPeriod(Duration base) {
        boolean cyclic = kind == PatternKind.RECURRING
                || (kind == PatternKind.SCHEDULE && cause != Cause.REFRESH_TOKEN_INACTIVE);
        if (cyclic && periodSeconds != null) {
            Duration twice = Duration.ofSeconds(periodSeconds).multipliedBy(2);
            return twice.compareTo(base) > 0 ? twice : base;
        }
        return base;
    }

    int failureCount() {
        int n = 0;
        for (Member m : members.values()) {
            n += m.failures;
        }
        return n;
    }

    /** Distinct signatures of the members, most frequent first (ties: alphabetical, for a stable answer). */
    List<String> signatures() {
        Map<String, Integer> counts = new HashMap<>();
        for (Member m : members.values()) {
            if (m.signature != null) {
                counts.merge(m.signature, 1, Integer::sum);
            }
        }
        List<String> out = new ArrayList<>(counts.keySet());
        out.sort(Comparator.<String, Integer>comparing(counts::get).reversed().thenComparing(Comparator.naturalOrder()));
        return out;
    }

    List<String> domains() {
        TreeSet<String> out = new TreeSet<>();
        for (Member m : members.values()) {
            String d = m.domain();
            if (d != null) {
                out.add(d);
            }
        }
        return List.copyOf(out);
    }

    /** The provider attribute the members share, else the family id. */
    String provider() {
        String shared = null;
        for (Member m : members.values()) {
            if (m.provider == null) {
                continue;
            }
            if (shared == null) {
                shared = m.provider;
            } else if (!shared.equalsIgnoreCase(m.provider)) {
                return family == null ? null : family.id();
            }
        }
        return shared != null ? shared : family == null ? null : family.id();
    }

    Incident snapshot() {
        List<Member> ordered = new ArrayList<>(members.values());
        ordered.sort(Comparator.comparing((Member m) -> m.failedAt).thenComparing(m -> m.accountId));
        List<IncidentMember> accounts = new ArrayList<>(ordered.size());
        for (Member m : ordered) {
            accounts.add(new IncidentMember(m.accountId, m.email, m.provider, m.failedAt, m.lastFailedAt, m.failures,
                    m.signature, m.intervalSeconds));
        }
        List<EvidenceItem> items = new ArrayList<>(evidence.values());
        items.sort(Comparator.comparing(EvidenceItem::timestamp, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Incident(id, kind, cause, domain, domains(), family, provider(), status, periodSeconds,
                toleranceSeconds, firstAt, lastAt, closedAt, reopenCount, accounts, signatures(),
                IncidentText.summary(this), items, updatedAt);
    }
}
