package io.synctriage.engine.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Checks;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.Steps;
import io.synctriage.model.Subject;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.DiagnosisMemo;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.Match;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.spi.ProviderReport;

/**
 * The triage decision tree (spec/decision-tree.md): S1–S6 in order with a full trace, the provider
 * check of the account's family, and the precedence rules that pick one primary cause. Pure:
 * evidence in, diagnosis out; thread-safe (no mutable state between calls).
 */
public final class TriageEngine {

    /** Precedence ranks (decision-tree.md, Precedence): lower wins. */
    private static final int APP_ACTION = 1;
    private static final int FLEET = 2;
    private static final int PROVIDER_PATTERN = 3;
    private static final int SPECIFIC = 4;
    private static final int HEURISTIC = 5;

    /** A candidate primary cause. */
    private record Candidate(Cause cause, int rank, double confidence, Instant at, List<EvidenceItem> evidence,
                             String summary, List<String> remediation, List<Alternative> alternatives) {
    }

    private final EngineSettings settings;
    private final GenericSignals signals;
    private final CauseTexts texts;

    public TriageEngine(EngineSettings settings) {
        this.settings = settings;
        this.signals = GenericSignals.load();
        this.texts = CauseTexts.load();
    }

    /**
     * @param checks the provider check bound for a family right now, or null
     */
    public Diagnosis diagnose(Evidence given, Function<ProviderFamily, BoundCheck> checks) {
        Account enriched = AccountEnrichment.enrich(given.account(), null, given.events());
        List<LogLine> syncLog = withApiErrorResponses(enriched, given.syncLog(), given.apiLog());
        Evidence ev = enriched == given.account() && syncLog == given.syncLog() ? given
                : new Evidence(enriched, given.events(), given.apiLog(), syncLog, given.authLog(), given.peers(),
                given.now(), given.supplied(), given.incidents());
        Account account = ev.account();
        // One scratch space for the provider checks per diagnosis: the check of the account's family meets
        // again, in its own reading of the logs, texts it classified for the steps before it.
        DiagnosisMemo memo = new DiagnosisMemo();
        Classifier classifier = new Classifier(signals, checks, memo);
        List<TraceStep> trace = new ArrayList<>(10);
        List<Candidate> candidates = new ArrayList<>();

        // --- T: the state change being explained -------------------------------------------------
        Instant t = null;
        boolean tFromFailure = true;
        for (AccountEvent e : ev.events()) {
            if (e.isFailure() && e.timestamp() != null && (t == null || e.timestamp().isAfter(t))) {
                t = e.timestamp();
            }
        }
        if (t == null) {
            for (LogLine l : allLines(ev)) {
                if (l.timestamp() != null && !l.timestamp().isAfter(ev.now()) && isFailureLine(l, classifier, account)
                        && (t == null || l.timestamp().isAfter(t))) {
                    t = l.timestamp();
                }
            }
        }
        if (t == null) {
            t = ev.now();
            tFromFailure = false;
        }
        Instant windowStart = t.minus(settings.lookback());

        // --- S1 -----------------------------------------------------------------------------------
        trace.add(s1(ev, t, windowStart, candidates));

        // --- S2 / S3 ------------------------------------------------------------------------------
        FleetAnalysis fleetAnalysis = new FleetAnalysis(settings, classifier);
        FleetAnalysis.Result fleet = fleetAnalysis.analyze(ev, t, tFromFailure, windowStart);
        trace.add(fleet.s2());
        trace.add(fleet.s3());
        if (fleet.pattern() != null) {
            List<Alternative> fleetAlternatives = new ArrayList<>(fleet.alternatives());
            fleetAlternatives.addAll(fleet.cause() != fleet.pattern().cause()
                    ? List.of(new Alternative(fleet.pattern().cause(), 0.4))
                    : specificAdminCauses(fleet.pattern().kind(), account.family()));
            candidates.add(new Candidate(fleet.cause(), FLEET, fleet.confidence(), t, fleet.evidence(), null, List.of(),
                    fleetAlternatives));
        }
        // A flapping incident names no cause, but is cited: re-authenticating alone has not helped.
        EvidenceItem flapping = new IncidentPatterns(settings, fleetAnalysis).flapping(ev, t, windowStart);

        // --- S4 -----------------------------------------------------------------------------------
        AuthType auth = account.authType();
        trace.add(s4(account));

        // --- provider checks ----------------------------------------------------------------------
        BoundCheck bound = classifier.checkFor(account.family());
        ProviderReport report = ProviderReport.empty();
        if (bound != null) {
            try {
                ProviderReport r = bound.check().check(new CheckContext(ev, t, windowStart, fleet.pattern(), memo));
                report = r == null ? ProviderReport.empty() : r;
            } catch (RuntimeException e) {
                classifier.problem("provider checks for " + account.family().id() + " failed: " + e);
            }
        }
        for (Finding f : report.findings()) {
            if (f.cause() == null || f.level() == null) {
                continue;
            }
            if (f.level() == Level.SPECIFIC && f.at() != null && f.at().isAfter(t)) {
                continue; // evidence after T never explains the account's own change
            }
            int rank = f.level() == Level.PATTERN ? PROVIDER_PATTERN : f.level() == Level.SPECIFIC ? SPECIFIC : HEURISTIC;
            candidates.add(new Candidate(f.cause(), rank, clamp(f.confidence()), f.at(), f.evidence(), f.summary(),
                    f.remediation(), f.alternatives()));
        }

        // --- the engine's own single-account heuristic: auth failures on basic auth --------------
        List<EvidenceItem> authFailures = auth == AuthType.BASIC ? authFailures(ev, t, windowStart, classifier) : List.of();
        if (!authFailures.isEmpty()) {
            candidates.add(new Candidate(Cause.PASSWORD_CHANGED, HEURISTIC, 0.6,
                    authFailures.get(authFailures.size() - 1).timestamp(), authFailures, null, List.of(),
                    List.of(new Alternative(Cause.PASSWORD_EXPIRED, 0.25))));
        }

        // --- S5 / S6 ------------------------------------------------------------------------------
        boolean providerFound = report.findings().stream().anyMatch(f -> f.cause() != null);
        TraceStep s5 = s5(ev, auth, bound, authFailures, providerFound);
        TraceStep s6 = s6(account, auth, bound, providerFound);
        if (flapping != null && auth == AuthType.BASIC) {
            s5 = citing(s5, flapping);
        } else if (flapping != null && auth == AuthType.OAUTH) {
            s6 = citing(s6, flapping);
        }
        trace.add(s5);
        trace.add(s6);
        trace.addAll(report.steps());

        // --- precedence ---------------------------------------------------------------------------
        candidates.sort(Comparator.comparingInt(Candidate::rank)
                .thenComparing((a, b) -> a.rank() == SPECIFIC ? compareAt(b.at(), a.at()) : 0)
                .thenComparing(Comparator.comparingDouble(Candidate::confidence).reversed())
                .thenComparing((a, b) -> compareAt(b.at(), a.at())));

        List<String> missing = new ArrayList<>();
        List<String> next = new ArrayList<>();
        missing(ev, bound, classifier, fleet.incident() != null, missing, next);

        // The engine's own texts are needed only when no finding brought its own (rarely): their
        // placeholder values, the state change's time among them, are built then.
        Instant tFinal = t;
        Supplier<Map<String, String>> vars = () -> vars(ev, tFinal, fleet, candidates);
        Checks checksInfo = new Checks(account.family() == null ? null : account.family().id(),
                bound == null ? null : bound.bundle(), bound == null ? null : bound.version());
        String provider = account.family() == null ? null : account.family().id();

        if (candidates.isEmpty()) {
            List<String> remediation = new ArrayList<>(next);
            Map<String, String> values = vars.get();
            if (remediation.isEmpty()) {
                remediation.addAll(texts.remediation(Cause.UNDETERMINED, values));
            }
            return new Diagnosis(account.id(), account.email(), account.state(), Cause.UNDETERMINED, null, 0.0,
                    texts.summary(Cause.UNDETERMINED, values), remediation, flapping == null ? List.of() : List.of(flapping),
                    List.of(), trace, missing, next, checksInfo, provider, t);
        }
        Candidate best = candidates.get(0);
        String summary = best.summary() != null ? best.summary() : texts.summary(best.cause(), vars.get());
        List<String> remediation = best.remediation().isEmpty() ? texts.remediation(best.cause(), vars.get())
                : best.remediation();
        List<EvidenceItem> evidence = best.evidence();
        if (flapping != null) {
            evidence = new ArrayList<>(evidence);
            evidence.add(flapping);
        }
        return new Diagnosis(account.id(), account.email(), account.state(), best.cause(), best.cause().actor(),
                round(best.confidence()), summary, remediation, evidence, alternatives(best, candidates), trace,
                missing, next, checksInfo, provider, t);
    }

    /**
     * Classifies one logged failure exactly as S2/S3 classify a peer's failure: the provider check
     * bound for the subject's family, then the generic signatures. Thread-safe; what the
     * {@link io.synctriage.model.FailureClassifier} service answers.
     *
     * @param bound    the provider check bound for the subject's family right now, or null
     * @param failures told when that check throws (the generic signatures answer alone then)
     */
    public List<Match> classifyFailure(String error, String message, Subject subject, BoundCheck bound,
                                       BiConsumer<BoundCheck, RuntimeException> failures) {
        return Classifier.classifyOnce(signals, bound, error, message, subject, null, failures).asMatches();
    }

    /** A step that also cites an incident (its detail names it; its evidence carries it). */
    private static TraceStep citing(TraceStep step, EvidenceItem incident) {
        List<EvidenceItem> evidence = new ArrayList<>(step.evidence());
        evidence.add(incident);
        return new TraceStep(step.step(), step.answer(), step.detail() + "; " + incident.text(), evidence);
    }

    /**
     * An error response the application received for this account (status &gt;= 400 with a response body, e.g.
     * Graph's MailboxNotEnabledForRESTAPI on a 404) is provider evidence like a sync-log line: the checks read
     * it as one, marked api_log. Done here, not when reading, so stored evidence gets the same treatment.
     */
    private static List<LogLine> withApiErrorResponses(Account account, List<LogLine> syncLog, List<ApiCall> apiLog) {
        List<LogLine> errors = null;
        for (ApiCall c : apiLog) {
            if (c.response() == null || c.status() == null || c.status() < 400
                    || (c.accountId() == null && c.email() == null)
                    || !EvidenceNormalizer.concerns(c.accountId(), c.email(), account.id(), account.email())) {
                continue;
            }
            if (errors == null) {
                errors = new ArrayList<>(syncLog);
            }
            errors.add(new LogLine(EvidenceSource.API_LOG, c.timestamp(), "error", null, "HTTP " + c.status() + " on "
                    + (c.method() == null ? "" : c.method() + " ") + c.path() + ": " + c.response(), c.accountId(), c.email()));
        }
        if (errors == null) {
            return syncLog;
        }
        errors.sort(Comparator.comparing(LogLine::timestamp, Comparator.nullsFirst(Comparator.naturalOrder())));
        return errors;
    }

    /**
     * When a domain pattern's errors name no specific admin cause, the admin actions that produce it
     * on this provider are the ranked alternatives (what the admin should check first).
     */
    private static List<Alternative> specificAdminCauses(PatternKind kind, ProviderFamily family) {
        if (family == null) {
            return List.of();
        }
        if (kind == PatternKind.SAME_MOMENT) {
            switch (family) {
                case MICROSOFT:
                    return List.of(new Alternative(Cause.ADMIN_REVOKED_SESSIONS, 0.3), new Alternative(Cause.ADMIN_CONSENT_REVOKED, 0.25));
                case GOOGLE:
                    return List.of(new Alternative(Cause.GOOGLE_API_ACCESS_RESTRICTED, 0.3));
                case EAS:
                    return List.of(new Alternative(Cause.EAS_DEVICE_BLOCKED, 0.3));
                default:
                    return List.of();
            }
        }
        if (kind == PatternKind.RECURRING) {
            switch (family) {
                case MICROSOFT:
                    return List.of(new Alternative(Cause.CA_SIGNIN_FREQUENCY, 0.35));
                case GOOGLE:
                    return List.of(new Alternative(Cause.GOOGLE_SESSION_CONTROL, 0.3));
                default:
                    return List.of();
            }
        }
        return List.of();
    }

    // --- S1 ---------------------------------------------------------------------------------------

    private TraceStep s1(Evidence ev, Instant t, Instant windowStart, List<Candidate> candidates) {
        Account account = ev.account();
        String billing = account.billingState() == null ? null : account.billingState().trim().toLowerCase(Locale.ROOT);
        boolean billingStopped = "cancelled".equals(billing) || "canceled".equals(billing) || "deleted".equals(billing);
        boolean apiLog = ev.supplied().contains(EvidenceSource.API_LOG);
        AppActions.Result r = AppActions.find(account, ev.apiLog(), t, windowStart);
        String notes = r.notes().isEmpty() ? "" : " (" + String.join("; ", r.notes()) + ")";
        if (r.decisive() != null) {
            AppActions.Found f = r.decisive();
            EvidenceItem item = new EvidenceItem(EvidenceSource.API_LOG.key(), f.call().timestamp(),
                    f.call().method() + " " + f.call().path() + (f.call().status() == null ? "" : " → " + f.call().status()));
            List<EvidenceItem> evidence = new ArrayList<>();
            evidence.add(item);
            if (billingStopped) {
                evidence.add(new EvidenceItem(EvidenceSource.ACCOUNT.key(), null, "billing_state = " + billing));
            }
            double conf = f.byEmailOnly() ? 0.88 : 0.95;
            candidates.add(new Candidate(f.action().cause, APP_ACTION, conf, f.call().timestamp(), evidence, null, List.of(),
                    List.of()));
            String detail = f.label() + " for this account" + (f.byEmailOnly() ? " (matched by email)" : "") + " at "
                    + f.call().timestamp() + ", " + AppActions.before(f.call().timestamp(), t)
                    + (r.counted().size() > 1 ? "; the latest of " + r.counted().size() + " app calls decides" : "") + notes;
            return new TraceStep(Steps.S1_APP_REVOKED, Answer.YES, detail, evidence);
        }
        if (billingStopped) {
            EvidenceItem item = new EvidenceItem(EvidenceSource.ACCOUNT.key(), null, "billing_state = " + billing);
            candidates.add(new Candidate(Cause.APP_STOPPED_ACCOUNT, APP_ACTION, apiLog ? 0.85 : 0.8, null, List.of(item),
                    null, List.of(), List.of()));
            return new TraceStep(Steps.S1_APP_REVOKED, Answer.YES, "billing_state is " + billing
                    + ": the application cancelled or deleted the account" + notes, List.of(item));
        }
        if (!apiLog) {
            return TraceStep.of(Steps.S1_APP_REVOKED, Answer.UNKNOWN,
                    "no API log supplied: cannot rule out an app-side revoke, downgrade or delete (billing_state "
                            + (billing == null ? "unknown" : billing) + ")");
        }
        return TraceStep.of(Steps.S1_APP_REVOKED, Answer.NO, "no revoke-all, oauth/revoke, connect/revoke, downgrade or delete for this account (by id or email) in the "
                + settings.lookback().toDays() + " days before the state change; billing_state "
                + (billing == null ? "unknown" : billing) + notes);
    }

    // --- S4 / S5 / S6 -----------------------------------------------------------------------------

    private static TraceStep s4(Account account) {
        if (account.authType() == null) {
            return TraceStep.of(Steps.S4_AUTH_TYPE, Answer.UNKNOWN,
                    "no provider and no authentication_type: cannot tell basic auth from OAuth");
        }
        String provider = account.provider() == null ? "(none)" : account.provider();
        String family = account.family() == null ? "unknown family" : familyName(account.family());
        String how = account.family() != null && account.family().defaultAuth() == account.authType()
                ? "the provider's default" : "authentication_type overrides the provider's default";
        boolean basic = account.authType() == AuthType.BASIC;
        return TraceStep.of(Steps.S4_AUTH_TYPE, basic ? Answer.YES : Answer.NO,
                "provider " + provider + " → " + family + ", " + (basic ? "basic auth (password)" : "OAuth") + " (" + how + ")");
    }

    private TraceStep s5(Evidence ev, AuthType auth, BoundCheck bound, List<EvidenceItem> authFailures, boolean providerFound) {
        if (auth == null) {
            return TraceStep.of(Steps.S5_BASIC_AUTH, Answer.UNKNOWN, "authentication type unknown");
        }
        if (auth != AuthType.BASIC) {
            return TraceStep.of(Steps.S5_BASIC_AUTH, Answer.SKIPPED, "OAuth account: see S6");
        }
        Account a = ev.account();
        List<String> parts = new ArrayList<>();
        parts.add(authFailures.isEmpty() ? "password change: no authentication failure in the logs before the state change"
                : "password change: " + authFailures.size() + " authentication failure(s) before the state change (latest "
                + authFailures.get(authFailures.size() - 1).timestamp() + ")");
        if (a.family() == ProviderFamily.IMAP) {
            parts.add("UID errors: " + (bound == null ? "IMAP checks not installed" : "see the IMAP checks below"));
        } else if (a.family() == ProviderFamily.EAS) {
            parts.add("inbox: " + (a.inboxCount() == null ? "inbox_count not supplied" : a.inboxCount() + " message(s)")
                    + (bound == null ? " (EAS checks not installed)" : ", see the EAS checks below"));
        }
        boolean logs = ev.supplied().contains(EvidenceSource.SYNC_LOG) || ev.supplied().contains(EvidenceSource.AUTH_LOG);
        Answer answer = !authFailures.isEmpty() || providerFound ? Answer.YES
                : logs || a.inboxCount() != null ? Answer.NO : Answer.UNKNOWN;
        return new TraceStep(Steps.S5_BASIC_AUTH, answer, String.join("; ", parts), authFailures);
    }

    private static TraceStep s6(Account account, AuthType auth, BoundCheck bound, boolean providerFound) {
        if (auth == null) {
            return TraceStep.of(Steps.S6_OAUTH, Answer.UNKNOWN, "authentication type unknown");
        }
        if (auth != AuthType.OAUTH) {
            return TraceStep.of(Steps.S6_OAUTH, Answer.SKIPPED, "basic-auth account: see S5");
        }
        String family = account.family() == null ? "provider" : familyName(account.family());
        if (bound == null) {
            return TraceStep.of(Steps.S6_OAUTH, Answer.UNKNOWN, family + " account → " + family
                    + " checks, but provider checks for " + (account.family() == null ? "it" : account.family().id()) + " are not installed");
        }
        return TraceStep.of(Steps.S6_OAUTH, providerFound ? Answer.YES : Answer.NO, family + " account → " + family + " checks ("
                + bound.bundle() + " " + bound.version() + ")" + (providerFound ? ": see their steps below" : ": nothing they know of"));
    }

    private static String familyName(ProviderFamily f) {
        switch (f) {
            case MICROSOFT: return "Microsoft";
            case GOOGLE: return "Google";
            case EAS: return "Exchange";
            default: return "Other (IMAP)";
        }
    }

    // --- evidence helpers -------------------------------------------------------------------------

    private boolean isFailureLine(LogLine l, Classifier classifier, Account account) {
        String level = l.level() == null ? "" : l.level().toLowerCase(Locale.ROOT);
        if (level.startsWith("err") || level.equals("fatal") || level.equals("critical")) {
            return true;
        }
        if (l.source() == EvidenceSource.AUTH_LOG && l.error() != null && !l.error().isBlank()) {
            return true;
        }
        Classifier.Classified c = classifier.classify(l.error(), l.message(), account);
        return c.kind() != null && c.kind() != ErrorKind.OTHER;
    }

    private static List<EvidenceItem> authFailures(Evidence ev, Instant t, Instant windowStart, Classifier classifier) {
        List<EvidenceItem> out = new ArrayList<>();
        for (LogLine l : allLines(ev)) {
            if (l.timestamp() == null || l.timestamp().isAfter(t) || l.timestamp().isBefore(windowStart)) {
                continue;
            }
            Classifier.Classified c = classifier.classify(l.error(), l.message(), ev.account());
            if (c.kind() == ErrorKind.AUTH) {
                out.add(new EvidenceItem(l.source().key(), l.timestamp(), l.text()));
            }
        }
        out.sort(Comparator.comparing(EvidenceItem::timestamp));
        return out;
    }

    private static List<LogLine> allLines(Evidence ev) {
        List<LogLine> all = new ArrayList<>(ev.syncLog().size() + ev.authLog().size());
        all.addAll(ev.syncLog());
        all.addAll(ev.authLog());
        return all;
    }

    /**
     * @param fromIncident whether a fleet incident answered S2/S3: then the peers are not missing,
     *                     the fleet tracker already compared the account with them
     */
    private void missing(Evidence ev, BoundCheck bound, Classifier classifier, boolean fromIncident, List<String> missing,
                         List<String> next) {
        Account a = ev.account();
        String who = a.email() != null ? "the account id " + a.id() + " and " + a.email() : "the account id " + a.id();
        if (!ev.supplied().contains(EvidenceSource.WEBHOOKS)) {
            missing.add(EvidenceSource.WEBHOOKS.key());
            next.add("No webhooks supplied: the state change time is estimated from the logs or now — add the account.invalid / account.stopped / grant.expired notification.");
        }
        if (!ev.supplied().contains(EvidenceSource.API_LOG)) {
            missing.add(EvidenceSource.API_LOG.key());
            next.add("No API log supplied: cannot rule out an app-side revoke/downgrade/delete — export the dashboard API log filtered by "
                    + who + " for the " + settings.lookback().toDays() + " days before the state change.");
        }
        if (!ev.supplied().contains(EvidenceSource.SYNC_LOG)) {
            missing.add(EvidenceSource.SYNC_LOG.key());
            next.add("No sync log supplied: export the account's sync log for the " + settings.lookback().toDays()
                    + " days before the state change (server errors, UID errors, parse errors).");
        }
        if (!ev.supplied().contains(EvidenceSource.AUTH_LOG)) {
            missing.add(EvidenceSource.AUTH_LOG.key());
            next.add("No auth log supplied: export the account's auth log (token-endpoint errors such as AADSTS codes or invalid_grant descriptions, IMAP/EAS login responses).");
        }
        if (!ev.supplied().contains(EvidenceSource.PEERS) && !fromIncident) {
            missing.add(EvidenceSource.PEERS.key());
            next.add("No peers supplied: list the other accounts of " + (a.domain() == null ? "the same domain" : a.domain())
                    + " and of the same provider with their state changes, to tell a domain or provider pattern from a single-account problem.");
        }
        if (a.provider() == null) {
            missing.add(EvidenceSource.PROVIDER.key());
            next.add("No provider on the account: add the account's provider attribute (e.g. from GET /a/{client_id}/accounts) to choose between basic-auth and OAuth checks.");
        } else if (bound == null && a.family() != null) {
            missing.add("provider checks for " + a.family().id() + " not installed");
            next.add("Install the provider checks: feature:install synctriage-provider-" + a.family().id() + ".");
        }
        missing.addAll(classifier.problems());
    }

    private static Map<String, String> vars(Evidence ev, Instant t, FleetAnalysis.Result fleet, List<Candidate> candidates) {
        Account a = ev.account();
        Map<String, String> v = new HashMap<>();
        v.put("account", a.email() != null ? a.email() : a.id());
        v.put("domain", a.domain() != null ? a.domain() : "the customer's domain");
        v.put("provider", a.provider() != null ? a.provider() : a.family() != null ? a.family().id() : "the provider");
        v.put("when", t.toString());
        v.put("state", a.state() != null ? a.state() : "stopped/invalid");
        if (fleet.pattern() != null) {
            v.put("count", String.valueOf(fleet.pattern().accountIds().size()));
            if (fleet.pattern().periodSeconds() != null) {
                v.put("period", "every " + Durations.human(java.time.Duration.ofSeconds(fleet.pattern().periodSeconds())));
            }
        }
        v.putIfAbsent("count", "Several");
        v.putIfAbsent("period", "a fixed period");
        for (Candidate c : candidates) {
            if (c.rank() == APP_ACTION && !c.evidence().isEmpty()) {
                EvidenceItem e = c.evidence().get(0);
                v.put("call", e.text() + (e.timestamp() == null ? "" : " at " + e.timestamp()));
                break;
            }
        }
        v.putIfAbsent("call", "see the API log");
        return v;
    }

    private static List<Alternative> alternatives(Candidate best, List<Candidate> candidates) {
        Map<Cause, Double> alt = new LinkedHashMap<>();
        for (Alternative a : best.alternatives()) {
            alt.merge(a.cause(), a.confidence(), Math::max);
        }
        for (int i = 1; i < candidates.size(); i++) {
            Candidate c = candidates.get(i);
            // A lower-precedence candidate is, by definition, less likely than the winner.
            double conf = Math.min(c.confidence(), best.confidence()) * (c.rank() > best.rank() ? 0.6 : 0.9);
            alt.merge(c.cause(), conf, Math::max);
            for (Alternative a : c.alternatives()) {
                alt.merge(a.cause(), Math.min(a.confidence(), conf) * 0.8, Math::max);
            }
        }
        alt.remove(best.cause());
        List<Alternative> out = new ArrayList<>();
        alt.forEach((c, conf) -> out.add(new Alternative(c, round(conf))));
        out.sort(Comparator.comparingDouble(Alternative::confidence).reversed());
        return out.size() > 5 ? out.subList(0, 5) : out;
    }

    private static int compareAt(Instant a, Instant b) {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        return b == null ? 1 : a.compareTo(b);
    }

    private static double clamp(double c) {
        return Double.isNaN(c) ? 0.5 : Math.max(0, Math.min(1, c));
    }

    private static double round(double c) {
        return Math.round(clamp(c) * 100) / 100.0;
    }
}
