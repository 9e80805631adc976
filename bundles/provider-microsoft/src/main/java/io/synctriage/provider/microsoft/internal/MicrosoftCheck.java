package io.synctriage.provider.microsoft.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Component;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.FleetPattern;
import io.synctriage.model.spi.Level;
import io.synctriage.model.spi.PatternKind;
import io.synctriage.model.spi.ProviderCheck;
import io.synctriage.model.spi.ProviderReport;
import io.synctriage.provider.support.Candidates;
import io.synctriage.provider.support.Candidates.Candidate;
import io.synctriage.provider.support.Candidates.Resolution;
import io.synctriage.provider.support.FindingFactory;
import io.synctriage.provider.support.Heuristics;
import io.synctriage.provider.support.Hit;
import io.synctriage.provider.support.Idle;
import io.synctriage.provider.support.LogScan;
import io.synctriage.provider.support.Signature;
import io.synctriage.provider.support.SignatureLevel;
import io.synctriage.provider.support.SignatureTable;
import io.synctriage.provider.support.TableProviderCheck;
import io.synctriage.provider.support.Texts;
import io.synctriage.provider.support.Trace;

/**
 * Microsoft 365 / Outlook.com checks (family {@code microsoft}): the AADSTS codes and OAuth errors
 * of the Microsoft identity platform, Graph and Exchange Online service errors, and the rules that
 * need context: AADSTS50173 means one user revoking access unless the engine found a domain
 * pattern (then the admin revoked sessions); "application disabled / not found" codes are the
 * customer's consent unless the failure is provider-wide (then the developer's own client); and
 * refresh tokens die after 90 days without use.
 *
 * <p>{@code classify} returns codes whose meaning depends on the fleet pattern with their cluster
 * meaning (50173 → ADMIN_REVOKED_SESSIONS, 7000112 → ADMIN_CONSENT_REVOKED with kind
 * CLIENT_CREDENTIALS): the engine uses this to refine a domain pattern and to join provider-wide
 * credential failures; {@link #check} decides the single-account meaning.
 *
 * <p>The knowledge is data ({@code signatures.tsv}, {@code texts.properties}), loaded once when the
 * component is created; the component is immutable and thread-safe.
 */
@Component(service = ProviderCheck.class, property = ProviderCheck.FAMILY_PROPERTY + "=microsoft")
public final class MicrosoftCheck extends TableProviderCheck {

    static final String STEP_CODE = "MS_AADSTS_CODE";
    static final String STEP_SERVICE = "MS_SERVICE_ERROR";
    static final String STEP_SCOPE = "MS_CODE_SCOPE";
    static final String STEP_INACTIVITY = "MS_INACTIVITY";
    static final String STEP_GENERIC = "MS_GENERIC_CODES";
    static final String STEP_SERVER = "MS_SERVER_ERRORS";
    static final String STEP_SYNC = "MS_SYNC_ERROR";
    static final List<String> STEPS = List.of(STEP_CODE, STEP_SERVICE, STEP_SCOPE, STEP_INACTIVITY, STEP_GENERIC,
            STEP_SERVER, STEP_SYNC);

    static final String TAG_SERVICE = "service";
    static final String TAG_REVOCATION = "revocation-scope";
    static final String TAG_TENANT = "tenant-scope";
    static final String TAG_INACTIVITY = "inactivity";
    static final String TAG_BARE = "bare-grant";
    static final String TAG_TRANSIENT = "transient";
    static final String TAG_REPEATED = "repeated";
    static final String TAG_IMAP_AUTH = "imap-auth";
    static final String TAG_PARSE = "parse-error";
    static final Set<String> TAGS = Set.of(TAG_SERVICE, TAG_REVOCATION, TAG_TENANT, TAG_INACTIVITY, TAG_BARE,
            TAG_TRANSIENT, TAG_REPEATED, TAG_IMAP_AUTH, TAG_PARSE);

    /** Microsoft refresh tokens expire after 90 days without use (MaxInactiveTime, not configurable since 2021). */
    static final Duration INACTIVITY = Duration.ofDays(90);
    /** "Repeated" server errors: at least this many lines in the look-back window. */
    static final int REPEATED = 2;

    /** Text keys beyond the table's causes that the context rules can name. */
    static final List<String> RULE_TEXTS = List.of(Cause.USER_REVOKED_ACCESS.name(),
            Cause.OAUTH_CLIENT_CREDENTIALS_INVALID.name(), Cause.BASIC_AUTH_RETIRED.name(),
            "REFRESH_TOKEN_INACTIVE.idle", "PASSWORD_CHANGED.oauth");

    /** Loads the Microsoft tables shipped in this bundle. */
    public MicrosoftCheck() {
        this(table(MicrosoftCheck.class, TAGS), texts(MicrosoftCheck.class));
    }

    MicrosoftCheck(SignatureTable table, Texts texts) {
        super(ProviderFamily.MICROSOFT, STEPS, table, texts, RULE_TEXTS);
    }

    @Override
    public ProviderReport check(CheckContext context) {
        Evidence ev = context.evidence();
        Account account = ev.account();
        LogScan scan = LogScan.of(context, table());
        Instant t = scan.window().stateChangeAt();
        FleetPattern pattern = context.pattern();
        boolean domainPattern = pattern != null
                && (pattern.kind() == PatternKind.SAME_MOMENT || pattern.kind() == PatternKind.RECURRING);
        boolean providerWide = pattern != null && pattern.kind() == PatternKind.PROVIDER_WIDE;

        Candidates.Resolver resolver = h -> resolve(h, account, domainPattern, providerWide);
        List<Candidate> candidates = Candidates.group(scan.hits(), resolver);
        List<TraceStep> steps = new ArrayList<>();
        List<Finding> out = new ArrayList<>();

        Idle idle = Idle.measure(account, ev, scan, t);

        // MS_AADSTS_CODE and MS_SERVICE_ERROR: one finding per cause, decided by its latest line before T.
        for (String step : List.of(STEP_CODE, STEP_SERVICE)) {
            CodeStep code = codeStep(step, STEP_CODE.equals(step) ? "AADSTS code or OAuth error that names a cause"
                    : "Graph / Exchange Online service error that names a cause", candidates, scan, resolver);
            steps.add(code.trace());
            for (Candidate c : code.candidates()) {
                FindingFactory.Builder b = findings.finding(account, c);
                if (c.signature().hasTag(TAG_INACTIVITY) && idle.measured()) {
                    b.detail("; it was last used on " + idle.sentence());
                }
                out.add(b.build());
            }
        }

        steps.add(scopeStep(scan, domainPattern, providerWide, pattern));

        boolean inactivityCode = candidates.stream().anyMatch(c -> c.signature().hasTag(TAG_INACTIVITY));
        List<Hit> bare = scan.hits(h -> h.bestIs(s -> s.hasTag(TAG_BARE)));
        Finding idleFinding = null;
        if (idle.measured() && idle.atLeast(INACTIVITY) && !inactivityCode && !bare.isEmpty()) {
            Hit last = bare.get(bare.size() - 1);
            idleFinding = findings.finding(account, Cause.REFRESH_TOKEN_INACTIVE, Level.HEURISTIC)
                    .variant("idle")
                    .confidence(idle.fromActivity() ? 0.7 : 0.45)
                    .at(last.at())
                    .evidence(last.item())
                    .evidence(idle.item())
                    .signature(last.best().label())
                    .detail("last used on " + idle.sentence())
                    .alternative(Cause.PASSWORD_CHANGED, 0.3)
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.2)
                    .build();
            out.add(idleFinding);
        }
        steps.add(inactivityStep(idle, inactivityCode, bare, idleFinding != null));

        List<Hit> generic = scan.hits(h -> h.bestIs(s -> s.level() == SignatureLevel.INFO
                && (s.hasTag(TAG_BARE) || s.hasTag(TAG_TRANSIENT))));
        boolean fallback = !bare.isEmpty() && candidates.isEmpty() && idleFinding == null;
        if (fallback) {
            // S6 "OAuth: password change?": a bare invalid_grant names no cause; a password change or
            // reset is the usual one, and the remediation (re-authenticate, read the sign-in log) holds.
            Hit last = bare.get(bare.size() - 1);
            out.add(findings.finding(account, Cause.PASSWORD_CHANGED, Level.HEURISTIC)
                    .variant(account.authType() == AuthType.BASIC ? null : "oauth")
                    .confidence(0.35)
                    .at(last.at())
                    .evidence(last.item())
                    .signature(last.best().label())
                    .count(bare.size())
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.3)
                    .alternative(Cause.ADMIN_REVOKED_SESSIONS, 0.15)
                    .alternative(Cause.REFRESH_TOKEN_INACTIVE, 0.15)
                    .build());
        }
        steps.add(genericStep(generic, fallback));

        Heuristics.Outcome server = Heuristics.repeatedServerErrors(STEP_SERVER, "Microsoft", scan, TAG_REPEATED, REPEATED,
                findings, account);
        steps.add(server.step());
        // An OAuth account can stop on the platform's own parse/serialisation error too (state exception /
        // sync-error, token refresh fine): PLATFORM_SYNC_ERROR when nothing above explains the stop.
        Heuristics.Outcome sync = Heuristics.syncError(STEP_SYNC, scan, TAG_PARSE, findings, account);
        steps.add(sync.step());
        Heuristics.collect(out, server, sync);
        return report(steps, out);
    }

    /** What a line means for this account (null: nothing on its own). */
    private static Resolution resolve(Hit hit, Account account, boolean domainPattern, boolean providerWide) {
        Signature s = hit.best();
        if (s.level() == SignatureLevel.INFO || s.hasTag(TAG_REPEATED) || s.hasTag(TAG_PARSE)) {
            return null;
        }
        Resolution r = Resolution.of(s, s.hasTag(TAG_SERVICE) ? STEP_SERVICE : STEP_CODE);
        if (s.hasTag(TAG_REVOCATION)) {
            // 50173 on a domain cluster is the admin revoking sessions; alone, the user (or an admin
            // acting on this one user) revoked the grant.
            return domainPattern
                    ? r.withCause(Cause.ADMIN_REVOKED_SESSIONS, s.confidence(),
                            List.of(new Alternative(Cause.USER_REVOKED_ACCESS, 0.3)))
                    : r.withCause(Cause.USER_REVOKED_ACCESS, 0.75,
                            List.of(new Alternative(Cause.ADMIN_REVOKED_SESSIONS, 0.4),
                                    new Alternative(Cause.PASSWORD_CHANGED, 0.3)));
        }
        if (s.hasTag(TAG_TENANT) && providerWide) {
            // The same "application disabled" in many unrelated tenants at once is the
            // developer's own app registration, not each customer's consent.
            return r.withCause(Cause.OAUTH_CLIENT_CREDENTIALS_INVALID, 0.9,
                    List.of(new Alternative(Cause.ADMIN_CONSENT_REVOKED, 0.3)));
        }
        if (s.hasTag(TAG_IMAP_AUTH) && account.authType() == AuthType.BASIC) {
            // A password login to Exchange Online IMAP/SMTP fails because basic auth is retired.
            return r.withCause(Cause.BASIC_AUTH_RETIRED, 0.6, List.of(new Alternative(Cause.PASSWORD_CHANGED, 0.4)));
        }
        return r;
    }

    private static TraceStep scopeStep(LogScan scan, boolean domainPattern, boolean providerWide, FleetPattern p) {
        List<Hit> scoped = scan.hits(h -> h.bestIs(s -> s.hasTag(TAG_REVOCATION) || s.hasTag(TAG_TENANT)));
        if (scoped.isEmpty()) {
            return TraceStep.of(STEP_SCOPE, Answer.SKIPPED, "no code whose meaning depends on a fleet pattern"
                    + " (AADSTS50173, 7000112)");
        }
        Hit last = scoped.get(scoped.size() - 1);
        Signature s = last.best();
        String where = p == null ? "" : p.kind() + (p.domain() == null ? "" : " on " + p.domain())
                + " (" + p.accountIds().size() + " accounts)";
        if (s.hasTag(TAG_REVOCATION)) {
            return domainPattern
                    ? Trace.step(STEP_SCOPE, Answer.YES, s.label() + " with a " + where
                            + " pattern: the administrator revoked the sessions → ADMIN_REVOKED_SESSIONS", scoped)
                    : Trace.step(STEP_SCOPE, Answer.NO, s.label() + " on this account alone (no same-moment or"
                            + " recurring domain pattern) → USER_REVOKED_ACCESS", scoped);
        }
        return providerWide
                ? Trace.step(STEP_SCOPE, Answer.YES, s.label() + " in a " + where
                        + " pattern: the application's own registration → OAUTH_CLIENT_CREDENTIALS_INVALID", scoped)
                : Trace.step(STEP_SCOPE, Answer.NO, s.label() + " without a provider-wide pattern: tenant-local →"
                        + " ADMIN_CONSENT_REVOKED", scoped);
    }

    private static TraceStep inactivityStep(Idle idle, boolean code, List<Hit> bare, boolean finding) {
        if (!idle.measured()) {
            return TraceStep.of(STEP_INACTIVITY, code ? Answer.YES : Answer.UNKNOWN,
                    code ? "Microsoft states the refresh token expired through inactivity (AADSTS700082/70008);"
                            + " no linked_at, last_activity_at or grant_updated_at to measure it"
                            : "no linked_at, last_activity_at, grant_updated_at or sync activity before the state"
                            + " change: the 90-day inactivity cannot be measured");
        }
        String measured = "refresh token last used " + idle.describe();
        if (idle.atLeast(INACTIVITY)) {
            String d = measured + ": at least 90 days";
            if (code) {
                d += "; AADSTS700082/70008 confirms it";
            } else if (finding) {
                d += " and the token endpoint answered " + bare.get(bare.size() - 1).best().label()
                        + " → REFRESH_TOKEN_INACTIVE (heuristic" + (idle.fromActivity() ? ")"
                        : "; measured from the last authorisation only, no activity timestamp supplied)");
            } else {
                d += "; no invalid_grant in the logs to tie the failure to it";
            }
            return Trace.step(STEP_INACTIVITY, Answer.YES, d, idle.item());
        }
        String d = measured + ": under 90 days";
        if (code) {
            d += "; Microsoft's own AADSTS700082/70008 still decides (the activity evidence may be incomplete)";
        }
        return Trace.step(STEP_INACTIVITY, Answer.NO, d, idle.item());
    }

    private static TraceStep genericStep(List<Hit> generic, boolean fallback) {
        if (generic.isEmpty()) {
            return TraceStep.of(STEP_GENERIC, Answer.NO, "no generic or transient code in the look-back window");
        }
        Set<String> labels = new TreeSet<>();
        generic.forEach(h -> labels.add(h.best().label()));
        String d = "generic or transient codes name no cause on their own: " + String.join(", ", labels);
        if (fallback) {
            d += "; with nothing more specific, a password change or reset is the usual reason → PASSWORD_CHANGED"
                    + " (low confidence; the tenant's sign-in log has the real code)";
        }
        return Trace.step(STEP_GENERIC, Answer.YES, d, generic);
    }
}
