package io.synctriage.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentMember;
import io.synctriage.model.Steps;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.FleetPattern;
import io.synctriage.model.spi.PatternKind;

/**
 * S2/S3 from the fleet incidents a stored account belongs to (decision-tree.md, Precedence: "A stored
 * account that belongs to an incident is diagnosed with that incident's pattern, whichever member it
 * is"). The fleet tracker saw every account of the fleet as it failed, so its incident answers the
 * fleet question even when the peers at hand would not (the earliest member has no earlier peers; a
 * stored diagnosis may see only part of the domain).
 */
final class IncidentPatterns {

    /** The {@link EvidenceItem#source()} of what an incident says. */
    static final String SOURCE = "incidents";

    /** How many of the incident's own linking failures a diagnosis repeats. */
    private static final int MAX_LINKED = 10;

    /** The incident that gave the pattern and this account's membership of it. */
    private record Chosen(Incident incident, IncidentMember member) {
    }

    private final EngineSettings settings;
    private final FleetAnalysis fleet;

    IncidentPatterns(EngineSettings settings, FleetAnalysis fleet) {
        this.settings = settings;
        this.fleet = fleet;
    }

    /** S2/S3 taken from the account's incident, or null when none of its incidents names a pattern for T. */
    FleetAnalysis.Result analyze(Evidence ev, Instant t, Instant windowStart) {
        Chosen chosen = choose(ev, t, windowStart, false);
        if (chosen == null) {
            return null;
        }
        Incident inc = chosen.incident();
        Account account = ev.account();
        List<String> ids = new ArrayList<>();
        ids.add(account.id());
        for (IncidentMember m : inc.accounts()) {
            if (!m.accountId().equalsIgnoreCase(account.id())) {
                ids.add(m.accountId());
            }
        }
        List<EvidenceItem> evidence = new ArrayList<>();
        evidence.add(new EvidenceItem(SOURCE, inc.firstAt(), cite(inc)));
        for (EvidenceItem e : inc.evidence()) {
            if (evidence.size() > MAX_LINKED) {
                break;
            }
            evidence.add(e);
        }
        TraceStep s2 = new TraceStep(Steps.S2_DOMAIN_PATTERN, Answer.YES, (inc.kind() == PatternKind.PROVIDER_WIDE
                ? "provider-wide: " : "") + cite(inc) + "; this account is one of its " + inc.accounts().size()
                + " member(s) (" + kindName(inc.kind()) + " incident" + (inc.status() == null ? "" : ", " + inc.status().wireName())
                + ")", evidence);
        switch (inc.kind()) {
            case PROVIDER_WIDE: {
                FleetPattern p = new FleetPattern(inc.kind(), inc.cause(), null, ids, null, evidence);
                double conf = Math.max(0.7, 0.85 + Math.min(0.1, 0.02 * (inc.domains().size() - 3)));
                return new FleetAnalysis.Result(p, inc.cause(), conf, s2, TraceStep.of(Steps.S3_SAME_TIME, Answer.SKIPPED,
                        "provider-wide pattern (incident " + inc.id() + "): the domain question does not apply"),
                        evidence, inc, List.of());
            }
            case SCHEDULE: {
                FleetPattern p = new FleetPattern(inc.kind(), inc.cause(), null, ids, inc.periodSeconds(), evidence);
                double conf = Math.min(0.9, 0.8 + 0.02 * (inc.accounts().size() - 2));
                return new FleetAnalysis.Result(p, inc.cause(), conf, s2, TraceStep.of(Steps.S3_SAME_TIME, Answer.SKIPPED,
                        "schedule across domains (incident " + inc.id() + "): each account failed "
                                + (inc.cause() == Cause.REFRESH_TOKEN_INACTIVE
                                        ? "after " + interval(inc) + " without use"
                                        : interval(inc) + " after its own authorisation")
                                + "; the domain question does not apply"),
                        evidence, inc, List.of());
            }
            default:
                return domainPattern(ev, t, windowStart, inc, ids, evidence, s2);
        }
    }

    /**
     * Same moment or recurring: the incident's cause is already refined by its members' codes;
     * Precedence 2 adds the MAIL_ADMIN codes the account itself logged, which explain this account
     * most directly and so win over the members' majority.
     */
    private FleetAnalysis.Result domainPattern(Evidence ev, Instant t, Instant windowStart, Incident inc, List<String> ids,
                                               List<EvidenceItem> evidence, TraceStep s2) {
        Cause generic = genericCause(inc.kind());
        Cause fromMembers = effectiveCause(inc);
        FleetAnalysis.Refinement own = fleet.refineByOwnCodes(ev, windowStart, t);
        Cause cause = own.cause() != null ? own.cause() : fromMembers;
        String note;
        List<Alternative> alternatives = List.of();
        if (own.cause() != null) {
            note = "; this account's own errors name " + own.cause() + " (" + own.votes() + " line(s))";
            if (fromMembers != generic && fromMembers != own.cause()) {
                note += "; its members' codes named " + fromMembers;
                alternatives = List.of(new Alternative(fromMembers, 0.5));
            }
            evidence.addAll(own.evidence());
        } else if (fromMembers != generic) {
            note = "; its members' codes name " + fromMembers;
        } else {
            note = "; no error code names a more specific admin cause";
        }
        String domain = inc.domain() != null ? inc.domain() : ev.account().domain();
        FleetPattern p = new FleetPattern(inc.kind(), generic, domain, ids, inc.periodSeconds(), evidence);
        boolean refined = cause != generic;
        if (inc.kind() == PatternKind.SAME_MOMENT) {
            double conf = Math.min(0.95, (refined ? 0.85 : 0.7) + 0.05 * (inc.accounts().size() - 2));
            return new FleetAnalysis.Result(p, cause, conf, s2, new TraceStep(Steps.S3_SAME_TIME, Answer.YES,
                    "same moment: " + cite(inc) + note, evidence), evidence, inc, alternatives);
        }
        int failures = 0;
        for (IncidentMember m : inc.accounts()) {
            failures += Math.max(1, m.failures());
        }
        double conf = Math.min(0.92, (refined ? 0.88 : 0.75) + 0.02 * (failures - 3));
        return new FleetAnalysis.Result(p, cause, conf, s2, new TraceStep(Steps.S3_SAME_TIME, Answer.NO,
                "not at the same moment, but recurring " + period(inc) + " after each (re)authentication: "
                        + cite(inc) + note, evidence), evidence, inc, alternatives);
    }

    /**
     * A flapping incident of the account: it names no cause of its own (the account's own evidence
     * does), but tells support that re-authenticating alone will not help. Null when there is none.
     */
    EvidenceItem flapping(Evidence ev, Instant t, Instant windowStart) {
        Chosen chosen = choose(ev, t, windowStart, true);
        if (chosen == null) {
            return null;
        }
        Incident inc = chosen.incident();
        IncidentMember m = chosen.member();
        Instant first = m.failedAt() != null ? m.failedAt() : inc.firstAt();
        Instant last = m.lastFailedAt() != null ? m.lastFailedAt() : inc.lastAt();
        Long within = m.intervalSeconds() != null ? m.intervalSeconds()
                : inc.periodSeconds() == null ? null
                : inc.periodSeconds() + (inc.toleranceSeconds() == null ? 0 : inc.toleranceSeconds());
        String what = within != null
                ? "this account failed again within " + Durations.human(Duration.ofSeconds(within)) + " of each re-authentication"
                : inc.summary() != null ? inc.summary() : "this account failed again soon after each re-authentication";
        return new EvidenceItem(SOURCE, last, "incident " + inc.id() + " (flapping): " + what + ", "
                + Math.max(1, m.failures()) + " time(s) (" + first + " … " + last + ")");
    }

    /**
     * Among the account's incidents that explain T (its own failures in the incident lie in the
     * look-back window, up to the cluster window after T), the one whose members failed nearest T,
     * then the first in precedence order (provider-wide, same moment, recurring, schedule: the
     * order of {@link PatternKind}).
     */
    private Chosen choose(Evidence ev, Instant t, Instant windowStart, boolean flapping) {
        Account account = ev.account();
        Chosen best = null;
        long bestDistance = Long.MAX_VALUE;
        for (Incident inc : ev.incidents()) {
            if (inc.kind() == null || (inc.kind() == PatternKind.FLAPPING) != flapping) {
                continue;
            }
            IncidentMember member = memberOf(inc, account.id());
            if (member == null || !explainsT(member, t, windowStart)) {
                continue;
            }
            if (!flapping && !namesAPattern(inc, account)) {
                continue;
            }
            long distance = distance(inc, t);
            if (best == null || distance < bestDistance
                    || (distance == bestDistance && inc.kind().ordinal() < best.incident().kind().ordinal())) {
                best = new Chosen(inc, member);
                bestDistance = distance;
            }
        }
        return best;
    }

    private boolean namesAPattern(Incident inc, Account account) {
        if (effectiveCause(inc) == null) {
            return false; // a provider-wide or schedule incident without a cause cannot answer S2
        }
        if (inc.kind() == PatternKind.SAME_MOMENT || inc.kind() == PatternKind.RECURRING) {
            String domain = inc.domain() != null ? inc.domain() : account.domain();
            return domain != null && !settings.isConsumerDomain(domain); // never a domain pattern
        }
        return true;
    }

    /**
     * Whether the account's failures in the incident can explain its state change at T: an incident
     * it joined months ago, before a re-authentication, says nothing about why it failed now.
     */
    private boolean explainsT(IncidentMember m, Instant t, Instant windowStart) {
        Instant first = m.failedAt() != null ? m.failedAt() : m.lastFailedAt();
        Instant last = m.lastFailedAt() != null ? m.lastFailedAt() : m.failedAt();
        if (first == null) {
            return true; // the tracker made it a member without a time: its word is all there is
        }
        return !last.isBefore(windowStart) && !first.isAfter(t.plus(settings.clusterWindow()));
    }

    /** Seconds from T to the nearest failure of any member. */
    private static long distance(Incident inc, Instant t) {
        long best = Long.MAX_VALUE;
        for (IncidentMember m : inc.accounts()) {
            for (Instant at : new Instant[] {m.failedAt(), m.lastFailedAt()}) {
                if (at != null) {
                    best = Math.min(best, Math.abs(Duration.between(at, t).getSeconds()));
                }
            }
        }
        return best;
    }

    private static IncidentMember memberOf(Incident inc, String accountId) {
        for (IncidentMember m : inc.accounts()) {
            if (m.accountId() != null && m.accountId().equalsIgnoreCase(accountId)) {
                return m;
            }
        }
        return null;
    }

    /** The cause a domain pattern names before any code refines it; null for the other kinds. */
    private static Cause genericCause(PatternKind kind) {
        switch (kind) {
            case SAME_MOMENT:
                return Cause.ADMIN_DISCONNECTED;
            case RECURRING:
                return Cause.DOMAIN_SESSION_POLICY;
            default:
                return null;
        }
    }

    private static Cause effectiveCause(Incident inc) {
        return inc.cause() != null ? inc.cause() : genericCause(inc.kind());
    }

    /** How a trace step, the diagnosis evidence and the summary name an incident. */
    static String cite(Incident inc) {
        String what = inc.summary() != null && !inc.summary().isBlank() ? inc.summary()
                : inc.accounts().size() + " account(s), " + kindName(inc.kind());
        String when = inc.firstAt() == null ? "" : " (" + inc.firstAt()
                + (inc.lastAt() == null || inc.lastAt().equals(inc.firstAt()) ? "" : " … " + inc.lastAt()) + ")";
        return "incident " + inc.id() + ": " + what + when;
    }

    /** The period of a recurring pattern, e.g. "every 24 h ± 7 min". */
    private static String period(Incident inc) {
        if (inc.periodSeconds() == null) {
            return "a fixed time";
        }
        Duration p = Duration.ofSeconds(inc.periodSeconds());
        return inc.toleranceSeconds() == null ? "every " + Durations.human(p)
                : Durations.period(p, Duration.ofSeconds(inc.toleranceSeconds()));
    }

    /** The period as an interval, e.g. "7 d ± 60 min". */
    private static String interval(Incident inc) {
        if (inc.periodSeconds() == null) {
            return "a fixed time";
        }
        String p = Durations.human(Duration.ofSeconds(inc.periodSeconds()));
        return inc.toleranceSeconds() == null ? p : p + " ± " + Durations.human(Duration.ofSeconds(inc.toleranceSeconds()));
    }

    private static String kindName(PatternKind kind) {
        switch (kind) {
            case PROVIDER_WIDE:
                return "provider-wide";
            case SAME_MOMENT:
                return "same-moment";
            case RECURRING:
                return "recurring";
            case SCHEDULE:
                return "schedule";
            default:
                return "flapping";
        }
    }
}
