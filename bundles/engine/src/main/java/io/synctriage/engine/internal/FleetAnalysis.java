package io.synctriage.engine.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Actor;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.Incident;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.Steps;
import io.synctriage.model.Subject;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.FleetPattern;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.PatternKind;

/**
 * S2 and S3: is it happening to accounts of one domain (or one provider), and at the same moment
 * or on a schedule? Finds the fleet pattern of decision-tree.md "Definitions" and refines it by
 * the admin codes that the clustered failures show (Precedence 2).
 */
final class FleetAnalysis {

    /**
     * The outcome of S2/S3: the pattern (or null), the two trace steps and the refined cause.
     *
     * @param incident     the fleet incident the pattern was taken from, or null when it came from the peers
     * @param alternatives causes the pattern leaves open besides its generic cause (e.g. an incident's
     *                     own refined cause overridden by the account's codes)
     */
    record Result(FleetPattern pattern, Cause cause, double confidence, TraceStep s2, TraceStep s3,
                  List<EvidenceItem> evidence, Incident incident, List<Alternative> alternatives) {

        Result(FleetPattern pattern, Cause cause, double confidence, TraceStep s2, TraceStep s3,
               List<EvidenceItem> evidence) {
            this(pattern, cause, confidence, s2, s3, evidence, null, List.of());
        }
    }

    /** One failure of an account of the fleet. */
    private record Failure(Subject subject, Instant at, String error, String message, boolean diagnosed) {
        String text() {
            return LogLineText.of(error, message);
        }

        /**
         * The record's equality, written out; the hash reads the subject's id only, not the whole subject:
         * a peer's record hash walks its every event, and failures are map keys (equal failures must still
         * collapse, as they did: equal subjects have equal ids).
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof Failure f && diagnosed == f.diagnosed && Objects.equals(at, f.at)
                    && Objects.equals(error, f.error) && Objects.equals(message, f.message)
                    && Objects.equals(subject, f.subject);
        }

        @Override
        public int hashCode() {
            int h = subject == null ? 0 : Objects.hashCode(subject.id());
            h = 31 * h + Objects.hashCode(at);
            h = 31 * h + Objects.hashCode(error);
            h = 31 * h + Objects.hashCode(message);
            return 31 * h + Boolean.hashCode(diagnosed);
        }
    }

    private final EngineSettings settings;
    private final Classifier classifier;

    FleetAnalysis(EngineSettings settings, Classifier classifier) {
        this.settings = settings;
        this.classifier = classifier;
    }

    Result analyze(Evidence ev, Instant t, boolean tFromFailure, Instant windowStart) {
        // A stored account that belongs to an incident is diagnosed with that incident's pattern
        // (decision-tree.md, Precedence): the fleet tracker already saw the whole fleet, peers or not.
        Result fromIncident = new IncidentPatterns(settings, this).analyze(ev, t, windowStart);
        if (fromIncident != null) {
            return fromIncident;
        }
        Account account = ev.account();
        boolean peersSupplied = ev.supplied().contains(EvidenceSource.PEERS);
        Duration window = settings.clusterWindow();

        // --- provider-wide: one family, many unrelated domains, one window, one error kind --------
        Result wide = providerWide(ev, t, window);
        if (wide != null) {
            return wide;
        }

        String domain = account.domain();
        if (domain == null) {
            return none(Answer.UNKNOWN, "the account has no email address: its domain cannot be compared with peers",
                    Answer.SKIPPED, "no domain pattern to time");
        }
        if (settings.isConsumerDomain(domain)) {
            return none(Answer.NO, domain + " is a consumer mail domain: thousands of unrelated people share it, it is never a domain pattern",
                    Answer.SKIPPED, "no domain pattern to time");
        }
        if (!peersSupplied) {
            return none(Answer.UNKNOWN, "no peers supplied: cannot tell whether other accounts of " + domain + " failed",
                    Answer.SKIPPED, "no peers to compare with");
        }

        List<Peer> domainPeers = new ArrayList<>();
        String ownEmail = account.normalizedEmail(); // computed on each call: once, not twice per peer
        for (Peer p : ev.peers()) {
            if (hasDomain(p, domain) && !p.id().equalsIgnoreCase(account.id())
                    && (ownEmail == null || !hasNormalizedEmail(p, ownEmail))) {
                domainPeers.add(p);
            }
        }
        Instant clusterEnd = t.plus(window);
        List<Failure> peerFailures = new ArrayList<>();
        for (Peer p : domainPeers) {
            // by index: an iterator per peer was a visible share of the diagnosis's allocation
            List<AccountEvent> events = p.events();
            for (int i = 0; i < events.size(); i++) {
                AccountEvent e = events.get(i);
                // the time tests first: they are cheaper than the type's set look-up, and all are pure
                if (e.timestamp() != null && !e.timestamp().isBefore(windowStart)
                        && !e.timestamp().isAfter(clusterEnd) && e.isFailure()) {
                    peerFailures.add(new Failure(p, e.timestamp(), e.error(), e.message(), false));
                }
            }
        }
        if (peerFailures.isEmpty()) {
            return none(Answer.NO, domainPeers.isEmpty()
                            ? "no other account of " + domain + " among the " + ev.peers().size() + " peers supplied"
                            : "none of the " + domainPeers.size() + " other accounts of " + domain
                            + " failed in the look-back window (" + settings.lookback().toDays() + " days)",
                    Answer.SKIPPED, "no domain pattern to time");
        }
        Set<String> failedPeers = new LinkedHashSet<>();
        peerFailures.forEach(f -> failedPeers.add(f.subject().id()));
        String s2Detail = failedPeers.size() + " other account(s) of " + domain + " failed in the look-back window";
        List<EvidenceItem> s2Evidence = evidenceOf(peerFailures, 10);

        // --- S3 same moment ----------------------------------------------------------------------
        if (tFromFailure) {
            List<Failure> together = new ArrayList<>();
            Set<String> accounts = new LinkedHashSet<>();
            for (Failure f : peerFailures) {
                if (within(f.at(), t, window)) {
                    together.add(f);
                    accounts.add(f.subject().id());
                }
            }
            if (accounts.size() + 1 >= settings.sameMomentMinAccounts()) {
                List<String> ids = new ArrayList<>();
                ids.add(account.id());
                ids.addAll(accounts);
                Instant first = t;
                Instant last = t;
                for (Failure f : together) {
                    first = f.at().isBefore(first) ? f.at() : first;
                    last = f.at().isAfter(last) ? f.at() : last;
                }
                Refinement r = refine(ev, windowStart, t, together);
                String s3Detail = ids.size() + " accounts of " + domain + " failed within "
                        + Durations.human(Duration.between(first, last)) + " (" + first + " … " + last
                        + "), inside the " + Durations.human(window) + " window" + r.note();
                Cause cause = r.cause() == null ? Cause.ADMIN_DISCONNECTED : r.cause();
                double conf = Math.min(0.95, (r.cause() == null ? 0.7 : 0.85) + 0.05 * (ids.size() - 2));
                List<EvidenceItem> evidence = evidenceOf(together, 10);
                evidence.addAll(r.evidence());
                FleetPattern p = new FleetPattern(PatternKind.SAME_MOMENT, Cause.ADMIN_DISCONNECTED, domain, ids, null, evidence);
                return new Result(p, cause, conf,
                        new TraceStep(Steps.S2_DOMAIN_PATTERN, Answer.YES, s2Detail, s2Evidence),
                        new TraceStep(Steps.S3_SAME_TIME, Answer.YES, "same moment: " + s3Detail, evidence), evidence);
            }
        }

        // --- S3 "no, but recurring": a fixed time after each (re)authentication -------------------
        Recurring rec = recurring(account, ev.events(), domainPeers, windowStart, t, tFromFailure);
        if (rec != null) {
            List<Failure> members = rec.failures();
            List<Failure> peerMembers = new ArrayList<>();
            Set<String> ids = new LinkedHashSet<>();
            for (Failure f : members) {
                ids.add(f.subject().id());
                if (!f.diagnosed()) {
                    peerMembers.add(f);
                }
            }
            Refinement r = refine(ev, windowStart, t, peerMembers);
            String period = Durations.period(rec.median(), rec.spread());
            String detail = "not at the same moment, but recurring: " + members.size() + " failures of " + ids.size()
                    + " account(s) of " + domain + " each came " + period + " after that account's previous (re)authentication"
                    + r.note();
            Cause cause = r.cause() == null ? Cause.DOMAIN_SESSION_POLICY : r.cause();
            double conf = Math.min(0.92, (r.cause() == null ? 0.75 : 0.88) + 0.02 * (members.size() - 3));
            List<EvidenceItem> evidence = new ArrayList<>();
            for (Failure f : members) {
                evidence.add(new EvidenceItem(f.diagnosed() ? EvidenceSource.WEBHOOKS.key() : EvidenceSource.PEERS.key(), f.at(),
                        label(f.subject()) + " failed " + Durations.human(rec.intervalOf(f)) + " after its previous (re)authentication"));
            }
            evidence.addAll(r.evidence());
            FleetPattern p = new FleetPattern(PatternKind.RECURRING, Cause.DOMAIN_SESSION_POLICY, domain, List.copyOf(ids),
                    rec.median().getSeconds(), evidence);
            return new Result(p, cause, conf,
                    new TraceStep(Steps.S2_DOMAIN_PATTERN, Answer.YES, s2Detail, s2Evidence),
                    new TraceStep(Steps.S3_SAME_TIME, Answer.NO, detail, evidence), evidence);
        }
        return new Result(null, null, 0,
                new TraceStep(Steps.S2_DOMAIN_PATTERN, Answer.YES, s2Detail, s2Evidence),
                TraceStep.of(Steps.S3_SAME_TIME, Answer.NO, "the failures of " + domain
                        + " are neither at the same moment (within " + Durations.human(window)
                        + ") nor recurring a fixed time after each (re)authentication: not a domain pattern, continue with S4"),
                List.of());
    }

    // --- provider-wide ---------------------------------------------------------------------------

    private enum WideKind { CREDENTIALS, SERVER }

    private static WideKind wideKind(ErrorKind k) {
        if (k == ErrorKind.CLIENT_CREDENTIALS) {
            return WideKind.CREDENTIALS;
        }
        if (k == ErrorKind.SERVER || k == ErrorKind.NETWORK) {
            return WideKind.SERVER;
        }
        return null;
    }

    private Result providerWide(Evidence ev, Instant t, Duration window) {
        Account account = ev.account();
        if (account.family() == null || ev.peers().isEmpty()) {
            return null;
        }
        // The account's own error kind: its latest classified failure text up to T.
        ErrorKind own = null;
        String ownLabel = null;
        // sync log, then auth log: the latest classified line of the two wins, as over their concatenation
        Instant windowBefore = null; // t - window, computed where it first was
        for (List<LogLine> log : List.of(ev.syncLog(), ev.authLog())) {
            for (LogLine l : log) {
                if (l.timestamp() == null || l.timestamp().isAfter(t)) {
                    continue;
                }
                if (windowBefore == null) {
                    windowBefore = t.minus(window);
                }
                if (!l.timestamp().isBefore(windowBefore)) {
                    Classifier.Classified c = classifier.classify(l.error(), l.message(), account);
                    if (c.kind() != null) {
                        own = c.kind();
                        ownLabel = c.label();
                    }
                }
            }
        }
        WideKind ownWide = wideKind(own);
        if (own != null && ownWide == null) {
            return null; // the account failed with another kind of error: it does not join such a cluster
        }
        Map<WideKind, List<Failure>> byKind = new EnumMap<>(WideKind.class);
        for (Peer p : ev.peers()) {
            if (p.family() != account.family() || p.id().equalsIgnoreCase(account.id())) {
                continue;
            }
            for (AccountEvent e : p.events()) {
                // most events lie outside the window: test that before the type's set look-up (all pure)
                if (e.timestamp() == null || !within(e.timestamp(), t, window) || !e.isFailure()) {
                    continue;
                }
                WideKind k = wideKind(classifier.classify(e.error(), e.message(), p).kind());
                if (k != null) {
                    byKind.computeIfAbsent(k, x -> new ArrayList<>()).add(new Failure(p, e.timestamp(), e.error(), e.message(), false));
                }
            }
        }
        for (WideKind k : WideKind.values()) {
            if (ownWide != null && ownWide != k) {
                continue;
            }
            List<Failure> fs = byKind.getOrDefault(k, List.of());
            if (fs.isEmpty()) {
                continue;
            }
            fs.sort(Comparator.comparing(Failure::at));
            // Each failure's domain (null when consumer or unknown), once: the window slides over them all per start.
            String[] domainOf = new String[fs.size()];
            for (int i = 0; i < domainOf.length; i++) {
                String d = fs.get(i).subject().domain();
                domainOf[i] = d != null && !settings.isConsumerDomain(d) ? d : null;
            }
            // Slide a window of the cluster width over the failures; it must contain T.
            for (Failure start : fs) {
                Instant s = start.at().isAfter(t) ? t : start.at();
                if (Duration.between(s, t).compareTo(window) > 0) {
                    continue;
                }
                Instant end = s.plus(window);
                List<Failure> in = new ArrayList<>();
                Set<String> domains = new HashSet<>();
                if (account.domain() != null && !settings.isConsumerDomain(account.domain())) {
                    domains.add(account.domain());
                }
                for (int i = 0; i < domainOf.length; i++) {
                    Failure f = fs.get(i);
                    if (!f.at().isBefore(s) && !f.at().isAfter(end)) {
                        in.add(f);
                        if (domainOf[i] != null) {
                            domains.add(domainOf[i]);
                        }
                    }
                }
                if (domains.size() >= settings.providerWideMinDomains()) {
                    Cause cause = k == WideKind.CREDENTIALS ? Cause.OAUTH_CLIENT_CREDENTIALS_INVALID : Cause.PROVIDER_OUTAGE;
                    String kindText = k == WideKind.CREDENTIALS ? "credential errors of the application's OAuth client"
                            : "server errors / timeouts";
                    List<String> ids = new ArrayList<>();
                    ids.add(account.id());
                    in.forEach(f -> {
                        if (!ids.contains(f.subject().id())) {
                            ids.add(f.subject().id());
                        }
                    });
                    String detail = "provider-wide: " + ids.size() + " " + account.family().id() + " accounts across "
                            + domains.size() + " unrelated domains failed within " + Durations.human(window) + " with "
                            + kindText + (ownLabel == null ? " (this account's own error is not known)" : " (this account: " + ownLabel + ")");
                    List<EvidenceItem> evidence = evidenceOf(in, 10);
                    FleetPattern p = new FleetPattern(PatternKind.PROVIDER_WIDE, cause, null, ids, null, evidence);
                    double conf = ownWide == null ? 0.7 : 0.85 + Math.min(0.1, 0.02 * (domains.size() - 3));
                    return new Result(p, cause, conf,
                            new TraceStep(Steps.S2_DOMAIN_PATTERN, Answer.YES, detail, evidence),
                            TraceStep.of(Steps.S3_SAME_TIME, Answer.SKIPPED, "provider-wide pattern: the domain question does not apply"),
                            evidence);
                }
            }
        }
        return null;
    }

    // --- recurring -------------------------------------------------------------------------------

    private record Recurring(List<Failure> failures, Map<Failure, Duration> intervals, Duration median, Duration spread) {
        Duration intervalOf(Failure f) {
            return intervals.get(f);
        }
    }

    private Recurring recurring(Account account, List<AccountEvent> ownEvents, List<Peer> domainPeers, Instant windowStart,
                                Instant t, boolean tFromFailure) {
        Map<Failure, Duration> intervals = new LinkedHashMap<>();
        Instant end = t.plus(settings.clusterWindow());
        Failure own = null;
        // The diagnosed account: its failure notifications, or T itself when T came from a failure line.
        boolean ownHasFailureEvent = false;
        for (AccountEvent e : ownEvents) {
            ownHasFailureEvent |= e.isFailure();
        }
        List<Instant> ownFailures = new ArrayList<>();
        for (AccountEvent e : ownEvents) {
            if (e.isFailure() && e.timestamp() != null && !e.timestamp().isBefore(windowStart) && !e.timestamp().isAfter(t)) {
                ownFailures.add(e.timestamp());
            }
        }
        if (!ownHasFailureEvent && tFromFailure) {
            ownFailures.add(t);
        }
        for (Instant at : ownFailures) {
            Duration d = sinceReauth(at, ownEvents, account.linkedAt());
            if (d != null) {
                Failure f = new Failure(account, at, null, null, true);
                intervals.put(f, d);
                if (at.equals(t)) {
                    own = f;
                }
            }
        }
        for (Peer p : domainPeers) {
            List<AccountEvent> events = p.events(); // by index, as in analyze
            for (int i = 0; i < events.size(); i++) {
                AccountEvent e = events.get(i);
                if (e.timestamp() != null && !e.timestamp().isBefore(windowStart) && !e.timestamp().isAfter(end)
                        && e.isFailure()) {
                    Duration d = sinceReauth(e.timestamp(), p.events(), p.linkedAt());
                    if (d != null) {
                        intervals.put(new Failure(p, e.timestamp(), e.error(), e.message(), false), d);
                    }
                }
            }
        }
        if (intervals.size() < settings.recurringMinFailures()) {
            return null;
        }
        List<Map.Entry<Failure, Duration>> sorted = new ArrayList<>(intervals.entrySet());
        sorted.sort(Map.Entry.comparingByValue());
        double tol = settings.recurringTolerance();
        int bestFrom = -1;
        int bestTo = -1;
        boolean bestHasOwn = false;
        for (int i = 0; i < sorted.size(); i++) {
            for (int j = i + settings.recurringMinFailures() - 1; j < sorted.size(); j++) {
                long lo = sorted.get(i).getValue().getSeconds();
                long hi = sorted.get(j).getValue().getSeconds();
                double median = medianSeconds(sorted, i, j);
                if (lo < median * (1 - tol) || hi > median * (1 + tol)) {
                    continue;
                }
                boolean hasOwn = false;
                boolean hasPeer = false;
                for (int k = i; k <= j; k++) {
                    Failure f = sorted.get(k).getKey();
                    hasOwn |= f == own;
                    hasPeer |= !f.diagnosed();
                }
                if (!hasPeer) {
                    continue;
                }
                int size = j - i + 1;
                int best = bestTo - bestFrom + 1;
                if (bestFrom < 0 || size > best || (size == best && hasOwn && !bestHasOwn)) {
                    bestFrom = i;
                    bestTo = j;
                    bestHasOwn = hasOwn;
                }
            }
        }
        if (bestFrom < 0) {
            return null;
        }
        // The pattern must explain this account: its own latest failure belongs to it, unless its
        // interval cannot be computed (no re-authentication known) — then membership of the domain is enough.
        if (own != null && !bestHasOwn) {
            return null;
        }
        double median = medianSeconds(sorted, bestFrom, bestTo);
        if (median <= 0 || median > settings.lookback().getSeconds()) {
            return null;
        }
        List<Failure> members = new ArrayList<>();
        long spread = 0;
        for (int k = bestFrom; k <= bestTo; k++) {
            members.add(sorted.get(k).getKey());
            spread = Math.max(spread, Math.abs(sorted.get(k).getValue().getSeconds() - (long) median));
        }
        members.sort(Comparator.comparing(Failure::at));
        return new Recurring(members, intervals, Duration.ofSeconds((long) median), Duration.ofSeconds(spread));
    }

    private static double medianSeconds(List<Map.Entry<Failure, Duration>> sorted, int i, int j) {
        int n = j - i + 1;
        long a = sorted.get(i + (n - 1) / 2).getValue().getSeconds();
        long b = sorted.get(i + n / 2).getValue().getSeconds();
        return (a + b) / 2.0;
    }

    /** Time from the previous (re)authentication (events or linked_at) to a failure; null when unknown. */
    private static Duration sinceReauth(Instant failure, List<AccountEvent> events, Instant linkedAt) {
        Instant prev = null;
        for (AccountEvent e : events) {
            if (e.timestamp() != null && e.timestamp().isBefore(failure)
                    && (prev == null || e.timestamp().isAfter(prev)) && e.isReauthentication()) {
                prev = e.timestamp();
            }
        }
        if (linkedAt != null && linkedAt.isBefore(failure) && (prev == null || linkedAt.isAfter(prev))) {
            prev = linkedAt;
        }
        if (prev == null) {
            return null;
        }
        // Duration.between(prev, failure) without its detour through nanoseconds and ChronoUnit: the same
        // normalised seconds and nanos
        return Duration.ofSeconds(failure.getEpochSecond() - prev.getEpochSecond(), failure.getNano() - prev.getNano());
    }

    // --- refinement by admin codes -----------------------------------------------------------------

    /** The MAIL_ADMIN cause the codes name (or null), how many lines named it, and those lines (bounded). */
    record Refinement(Cause cause, int votes, List<EvidenceItem> evidence) {

        String note() {
            return cause == null ? "; no error code names a more specific admin cause"
                    : "; the errors name " + cause + " (" + votes + " line(s))";
        }
    }

    /** Precedence 2 for a pattern whose members' codes were already weighed (a fleet incident): the account's own codes. */
    Refinement refineByOwnCodes(Evidence ev, Instant windowStart, Instant t) {
        return refine(ev, windowStart, t, List.of());
    }

    /**
     * Precedence 2: a same-moment or recurring domain pattern takes any MAIL_ADMIN cause named by
     * the codes on the account (its logs up to T) or on its clustered peers.
     */
    private Refinement refine(Evidence ev, Instant windowStart, Instant t, List<Failure> clustered) {
        Map<Cause, Integer> votes = new LinkedHashMap<>();
        Map<Cause, List<EvidenceItem>> proof = new LinkedHashMap<>();
        Account account = ev.account();
        for (LogLine l : concat(ev.authLog(), ev.syncLog())) {
            if (l.timestamp() != null && (l.timestamp().isBefore(windowStart) || l.timestamp().isAfter(t))) {
                continue;
            }
            vote(classifier.classify(l.error(), l.message(), account), votes, proof,
                    new EvidenceItem(l.source().key(), l.timestamp(), l.text()));
        }
        for (AccountEvent e : ev.events()) {
            if (e.isFailure() && (e.error() != null || e.message() != null)) {
                vote(classifier.classify(e.error(), e.message(), account), votes, proof,
                        new EvidenceItem(EvidenceSource.WEBHOOKS.key(), e.timestamp(), e.text()));
            }
        }
        for (Failure f : clustered) {
            if (f.error() != null || f.message() != null) {
                vote(classifier.classify(f.error(), f.message(), f.subject()), votes, proof,
                        new EvidenceItem(EvidenceSource.PEERS.key(), f.at(), label(f.subject()) + ": " + f.text()));
            }
        }
        Cause best = null;
        int bestVotes = 0;
        for (Map.Entry<Cause, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        if (best == null) {
            return new Refinement(null, 0, List.of());
        }
        return new Refinement(best, bestVotes, proof.get(best));
    }

    private static void vote(Classifier.Classified c, Map<Cause, Integer> votes, Map<Cause, List<EvidenceItem>> proof,
                             EvidenceItem item) {
        Set<Cause> seen = new HashSet<>();
        for (Match m : c.matches()) {
            if (m.cause() != null && m.cause().actor() == Actor.MAIL_ADMIN && m.specific() && seen.add(m.cause())) {
                votes.merge(m.cause(), 1, Integer::sum);
                List<EvidenceItem> l = proof.computeIfAbsent(m.cause(), x -> new ArrayList<>());
                if (l.size() < 5) {
                    l.add(item);
                }
            }
        }
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Result none(Answer s2, String s2Detail, Answer s3, String s3Detail) {
        return new Result(null, null, 0, TraceStep.of(Steps.S2_DOMAIN_PATTERN, s2, s2Detail),
                TraceStep.of(Steps.S3_SAME_TIME, s3, s3Detail), List.of());
    }

    private static List<EvidenceItem> evidenceOf(List<Failure> failures, int max) {
        List<EvidenceItem> out = new ArrayList<>();
        for (Failure f : failures) {
            if (out.size() >= max) {
                break;
            }
            String text = label(f.subject()) + " failed" + (f.error() == null && f.message() == null ? "" : ": " + f.text());
            out.add(new EvidenceItem(EvidenceSource.PEERS.key(), f.at(), text));
        }
        return out;
    }

    /**
     * {@code domain.equals(s.domain())} without building the peer's lower-cased domain: every peer is
     * compared, most are of other domains, and an ASCII address (nearly all) lower-cases in place.
     */
    static boolean hasDomain(Subject s, String domain) {
        String e = s.email();
        if (e == null) {
            return false;
        }
        int at = e.lastIndexOf('@');
        if (at < 0 || at == e.length() - 1) {
            return false;
        }
        return equalsTrimmedLowerCase(e, at + 1, domain) || !isAscii(e, at + 1) && domain.equals(s.domain());
    }

    /** {@code normalizedEmail.equals(s.normalizedEmail())}, likewise without building the string. */
    static boolean hasNormalizedEmail(Subject s, String normalizedEmail) {
        String e = s.email();
        if (e == null) {
            return false;
        }
        return equalsTrimmedLowerCase(e, 0, normalizedEmail) || !isAscii(e, 0) && normalizedEmail.equals(s.normalizedEmail());
    }

    /**
     * Whether {@code s.substring(from).trim().toLowerCase(ROOT)} equals {@code expected}, for an ASCII
     * {@code s} (false otherwise: the callers then compare the real strings).
     */
    private static boolean equalsTrimmedLowerCase(String s, int from, String expected) {
        int start = from;
        int end = s.length();
        while (start < end && s.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) <= ' ') {
            end--;
        }
        if (end - start != expected.length()) {
            return false;
        }
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c >= 128) {
                return false;
            }
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != expected.charAt(i - start)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isAscii(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code Duration.between(at, t).abs().compareTo(window) <= 0}, without the two Durations: it runs
     * for every event of every peer. Epoch seconds of two Instants differ by less than 2^63, so nothing
     * overflows; the difference is normalised (nanos in [0, 10^9)) as Duration normalises it.
     */
    static boolean within(Instant at, Instant t, Duration window) {
        long seconds = t.getEpochSecond() - at.getEpochSecond();
        int nanos = t.getNano() - at.getNano();
        if (nanos < 0) {
            seconds--;
            nanos += 1_000_000_000;
        }
        if (seconds < 0) { // the absolute value of (seconds, nanos)
            if (nanos == 0) {
                seconds = -seconds;
            } else {
                seconds = -seconds - 1;
                nanos = 1_000_000_000 - nanos;
            }
        }
        return seconds < window.getSeconds() || seconds == window.getSeconds() && nanos <= window.getNano();
    }

    static String label(Subject s) {
        return s.email() != null ? s.email() : s.id();
    }

    private static List<LogLine> concat(List<LogLine> a, List<LogLine> b) {
        List<LogLine> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }

    /** error and message joined for display. */
    private static final class LogLineText {
        static String of(String error, String message) {
            if (error == null || error.isEmpty()) {
                return message == null ? "" : message;
            }
            return message == null || message.isEmpty() ? error : error + ": " + message;
        }
    }
}
