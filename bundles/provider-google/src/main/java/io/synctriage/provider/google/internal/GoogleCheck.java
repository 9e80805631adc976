package io.synctriage.provider.google.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.Period;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.synctriage.model.Account;
import io.synctriage.model.Alternative;
import io.synctriage.model.Answer;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;
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
import io.synctriage.provider.support.Peers;
import io.synctriage.provider.support.Signature;
import io.synctriage.provider.support.SignatureLevel;
import io.synctriage.provider.support.SignatureTable;
import io.synctriage.provider.support.TableProviderCheck;
import io.synctriage.provider.support.Texts;
import io.synctriage.provider.support.Timing;
import io.synctriage.provider.support.Trace;
import io.synctriage.provider.support.Window;

/**
 * Google (Gmail, Google Workspace) checks (family {@code google}). Google's token endpoint gives a
 * reason only sometimes ({@code invalid_rapt}, {@code admin_policy_enforced}, {@code deleted_client},
 * "The account has been deleted"); a bare {@code invalid_grant} "Token has been expired or revoked."
 * is decided by context, strongest first: the 7-day Testing-mode schedule across users, a newer
 * authorisation of the same user (refresh-token limit), six months without use, a logged password
 * change, and only then the user revoking access. Gmail IMAP responses are matched too.
 *
 * <p>{@code classify} returns a bare "Token has been expired or revoked." as the heuristic
 * USER_REVOKED_ACCESS (END_USER: it never refines a domain pattern, whose generic cause stands);
 * invalid_rapt and admin_policy_enforced give the specific admin causes the engine refines patterns with.
 *
 * <p>Knowledge is data ({@code signatures.tsv}, {@code texts.properties}), loaded once; the component
 * is immutable and thread-safe.
 */
@Component(service = ProviderCheck.class, property = ProviderCheck.FAMILY_PROPERTY + "=google")
public final class GoogleCheck extends TableProviderCheck {

    static final String STEP_TOKEN = "GOOGLE_TOKEN_ERROR";
    static final String STEP_IMAP = "GOOGLE_IMAP_RESPONSE";
    static final String STEP_TESTING = "GOOGLE_TESTING_MODE";
    static final String STEP_LIMIT = "GOOGLE_REFRESH_TOKEN_LIMIT";
    static final String STEP_INACTIVITY = "GOOGLE_INACTIVITY";
    static final String STEP_PASSWORD = "GOOGLE_PASSWORD_CHANGE";
    static final String STEP_SERVER = "GOOGLE_SERVER_ERRORS";
    static final String STEP_SYNC = "GOOGLE_SYNC_ERROR";
    static final List<String> STEPS = List.of(STEP_TOKEN, STEP_IMAP, STEP_TESTING, STEP_LIMIT, STEP_INACTIVITY,
            STEP_PASSWORD, STEP_SERVER, STEP_SYNC);

    static final String TAG_IMAP = "imap";
    static final String TAG_REVOKED = "token-revoked";
    static final String TAG_BARE = "bare-grant";
    static final String TAG_GMAIL_AUTH = "gmail-imap-auth";
    static final String TAG_PASSWORD = "password-change";
    static final String TAG_REFRESH = "token-refresh";
    static final String TAG_REPEATED = "repeated";
    static final String TAG_TRANSIENT = "transient";
    static final String TAG_PARSE = "parse-error";
    static final Set<String> TAGS = Set.of(TAG_IMAP, TAG_REVOKED, TAG_BARE, TAG_GMAIL_AUTH, TAG_PASSWORD, TAG_REFRESH,
            TAG_REPEATED, TAG_TRANSIENT, TAG_PARSE);

    /** Testing-mode refresh tokens expire 7 days after the authorisation. */
    static final Duration TESTING_PERIOD = Duration.ofDays(7);
    /** How far from exactly 7 days a failure may be and still follow the schedule. */
    static final Duration TESTING_TOLERANCE = Duration.ofHours(12);
    /** Google invalidates refresh tokens unused for six months. */
    static final Period INACTIVITY = Period.ofMonths(6);
    static final int REPEATED = 2;

    static final List<String> RULE_TEXTS = List.of(Cause.GOOGLE_APP_TESTING_MODE.name(),
            Cause.GOOGLE_REFRESH_TOKEN_LIMIT.name(), Cause.REFRESH_TOKEN_INACTIVE.name(), Cause.PASSWORD_CHANGED.name(),
            Cause.USER_REVOKED_ACCESS.name(), Cause.GMAIL_IMAP_DISABLED.name());

    /** Loads the Google tables shipped in this bundle. */
    public GoogleCheck() {
        this(table(GoogleCheck.class, TAGS), texts(GoogleCheck.class));
    }

    GoogleCheck(SignatureTable table, Texts texts) {
        super(ProviderFamily.GOOGLE, STEPS, table, texts, RULE_TEXTS);
    }

    @Override
    public ProviderReport check(CheckContext context) {
        Evidence ev = context.evidence();
        Account account = ev.account();
        LogScan scan = LogScan.of(context, table());
        Window window = scan.window();
        Instant t = window.stateChangeAt();

        List<Hit> gmailAuth = scan.hits(h -> h.bestIs(s -> s.hasTag(TAG_GMAIL_AUTH)));
        List<Hit> refreshes = scan.hits(h -> h.any(s -> s.hasTag(TAG_REFRESH)));
        boolean persists = persists(gmailAuth, refreshes);
        Candidates.Resolver resolver = h -> resolve(h, account, persists);
        List<Candidate> candidates = Candidates.group(scan.hits(), resolver);
        boolean specific = candidates.stream().anyMatch(c -> c.level() == Level.SPECIFIC);
        List<Hit> grants = scan.hits(h -> h.bestIs(s -> s.hasTag(TAG_REVOKED) || s.hasTag(TAG_BARE)));
        Hit lastGrant = grants.isEmpty() ? null : grants.get(grants.size() - 1);

        List<TraceStep> steps = new ArrayList<>();
        List<Finding> out = new ArrayList<>();

        for (String step : List.of(STEP_TOKEN, STEP_IMAP)) {
            CodeStep code = codeStep(step, STEP_TOKEN.equals(step)
                    ? "token-endpoint error that names a cause" : "Gmail IMAP response that names a cause",
                    candidates, scan, resolver);
            List<Candidate> mine = code.candidates();
            if (STEP_TOKEN.equals(step) && mine.isEmpty() && lastGrant != null) {
                steps.add(Trace.step(STEP_TOKEN, Answer.NO, lastGrant.best().label() + " at " + lastGrant.at()
                        + (grants.size() > 1 ? " (" + grants.size() + " times)" : "")
                        + " gives no specific reason: the Testing-mode schedule, a newer authorisation of the same user,"
                        + " six months of inactivity and a password change are checked next; failing those,"
                        + " the user revoked access" + Trace.ignoredAfterT(code.ignoredAfterT()), grants));
            } else {
                steps.add(code.trace());
            }
            for (Candidate c : mine) {
                FindingFactory.Builder b = findings.finding(account, c);
                if (c.cause() == Cause.GMAIL_IMAP_DISABLED && c.signature().hasTag(TAG_GMAIL_AUTH)) {
                    b.detail(persists ? "; it failed " + gmailAuth.size() + (gmailAuth.size() == 1 ? " time" : " times")
                            + (refreshes.isEmpty() ? "" : " after a successful token refresh")
                            : "; seen once, so an invalid token is still possible");
                }
                out.add(b.build());
            }
        }

        // Testing mode: this account and >= 1 other Google account each failing 7 d ± 12 h after their own authorisation.
        Schedule testing = testingMode(account, ev, window, specific ? candidates.get(0) : null);
        steps.add(testing.step());
        Finding testingFinding = null;
        if (testing.applies()) {
            testingFinding = findings.finding(account, Cause.GOOGLE_APP_TESTING_MODE, Level.PATTERN)
                    .confidence(lastGrant != null ? 0.9 : 0.75)
                    .at(lastGrant != null ? lastGrant.at() : t)
                    .evidence(testing.evidence())
                    .signature(lastGrant != null ? lastGrant.best().label() : "the account's failure")
                    .detail(testing.accountDetail())
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.2)
                    .build();
            out.add(testingFinding);
        }

        Limit limit = refreshTokenLimit(account, ev, t, lastGrant);
        steps.add(limit.step());
        if (limit.applies()) {
            out.add(findings.finding(account, Cause.GOOGLE_REFRESH_TOKEN_LIMIT, Level.PATTERN)
                    .confidence(testing.applies() ? 0.5 : 0.8)
                    .at(lastGrant.at())
                    .evidence(lastGrant.item())
                    .evidence(limit.evidence())
                    .signature(lastGrant.best().label())
                    .detail(limit.detail())
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.25)
                    .alternative(Cause.GOOGLE_APP_TESTING_MODE, testing.applies() ? 0.9 : 0)
                    .build());
        }

        Idle idle = Idle.measure(account, ev, scan, t);
        boolean inactive = idle.atLeast(INACTIVITY);
        boolean explained = specific || testing.applies() || limit.applies();
        Finding idleFinding = null;
        if (inactive && lastGrant != null && !specific) {
            idleFinding = findings.finding(account, Cause.REFRESH_TOKEN_INACTIVE, Level.HEURISTIC)
                    .confidence(idle.fromActivity() ? 0.75 : 0.5)
                    .at(lastGrant.at())
                    .evidence(lastGrant.item())
                    .evidence(idle.item())
                    .signature(lastGrant.best().label())
                    .detail("last used on " + idle.sentence())
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.3)
                    .build();
            out.add(idleFinding);
        }
        steps.add(inactivityStep(idle, inactive, lastGrant, idleFinding != null));

        List<Hit> passwordChanges = scan.hits(h -> h.any(s -> s.hasTag(TAG_PASSWORD)));
        Hit change = null;
        if (lastGrant != null) {
            for (Hit h : passwordChanges) {
                if (lastGrant.at() == null || h.at() == null || !h.at().isAfter(lastGrant.at())) {
                    change = h;
                }
            }
        }
        Finding passwordFinding = null;
        if (change != null && !specific && idleFinding == null) {
            passwordFinding = findings.finding(account, Cause.PASSWORD_CHANGED, Level.HEURISTIC)
                    .confidence(0.7)
                    .at(lastGrant.at())
                    .evidence(lastGrant.item())
                    .evidence(change.item())
                    .signature(lastGrant.best().label())
                    .alternative(Cause.USER_REVOKED_ACCESS, 0.3)
                    .build();
            out.add(passwordFinding);
        }
        steps.add(passwordStep(lastGrant, change, passwordFinding != null));

        if (lastGrant != null && !explained && idleFinding == null && passwordFinding == null) {
            // No 7-day pattern, no same-user re-authorisation, not idle, no password change logged.
            boolean revoked = lastGrant.best().hasTag(TAG_REVOKED);
            out.add(findings.finding(account, Cause.USER_REVOKED_ACCESS, Level.HEURISTIC)
                    .confidence(revoked ? 0.6 : 0.4)
                    .at(lastGrant.at())
                    .evidence(lastGrant.item())
                    .signature(lastGrant.best().label())
                    .count(grants.size())
                    .alternative(Cause.PASSWORD_CHANGED, 0.3)
                    .alternative(Cause.REFRESH_TOKEN_INACTIVE, idle.measured() ? 0 : 0.15)
                    .build());
        }

        Heuristics.Outcome server = Heuristics.repeatedServerErrors(STEP_SERVER, "Google", scan, TAG_REPEATED, REPEATED,
                findings, account);
        steps.add(server.step());
        // An OAuth account can stop on the platform's own parse/serialisation error too (state exception /
        // sync-error, token refresh fine): PLATFORM_SYNC_ERROR when nothing above explains the stop.
        Heuristics.Outcome sync = Heuristics.syncError(STEP_SYNC, scan, TAG_PARSE, findings, account);
        steps.add(sync.step());
        Heuristics.collect(out, server, sync);

        out.removeIf(Objects::isNull);
        return report(steps, out);
    }

    private static Resolution resolve(Hit hit, Account account, boolean persists) {
        Signature s = hit.best();
        if (s.level() == SignatureLevel.INFO || s.hasTag(TAG_REPEATED) || s.hasTag(TAG_REVOKED)
                || s.hasTag(TAG_PARSE)) {
            return null;
        }
        Resolution r = Resolution.of(s, s.hasTag(TAG_IMAP) ? STEP_IMAP : STEP_TOKEN);
        if (s.hasTag(TAG_GMAIL_AUTH)) {
            if (account.authType() == AuthType.BASIC) {
                // A password (app password) login: the IMAP code means the credential no longer works.
                return new Resolution(Cause.PASSWORD_CHANGED, Level.SPECIFIC, 0.7,
                        List.of(new Alternative(Cause.APP_PASSWORD_REQUIRED, 0.5),
                                new Alternative(Cause.GMAIL_IMAP_DISABLED, 0.2)), null, STEP_IMAP);
            }
            if (persists) {
                // XOAUTH2 rejected again with a fresh token: not the token, IMAP itself is off.
                return new Resolution(Cause.GMAIL_IMAP_DISABLED, Level.SPECIFIC, 0.85,
                        List.of(new Alternative(Cause.USER_REVOKED_ACCESS, 0.3),
                                new Alternative(Cause.GOOGLE_WORKSPACE_IMAP_DISABLED, 0.2)), null, STEP_IMAP);
            }
        }
        return r;
    }

    /** [AUTHENTICATIONFAILED] persisted after a token refresh: seen twice, or once after a logged refresh. */
    static boolean persists(List<Hit> failures, List<Hit> refreshes) {
        if (failures.size() >= 2) {
            return true;
        }
        if (failures.size() == 1) {
            Instant at = failures.get(0).at();
            for (Hit r : refreshes) {
                if (at == null || r.at() == null || !r.at().isAfter(at)) {
                    return true;
                }
            }
        }
        return false;
    }

    // ---- Testing mode ---------------------------------------------------------------------------

    /** The outcome of the Testing-mode schedule check. */
    record Schedule(boolean applies, TraceStep step, List<EvidenceItem> evidence, String accountDetail) {
    }

    private static boolean onSchedule(Duration sinceAuth) {
        return sinceAuth.minus(TESTING_PERIOD).abs().compareTo(TESTING_TOLERANCE) <= 0;
    }

    static Schedule testingMode(Account account, Evidence ev, Window window, Candidate specific) {
        Instant t = window.stateChangeAt();
        if (specific != null) {
            return new Schedule(false, TraceStep.of(STEP_TESTING, Answer.NO, "the account failed with "
                    + specific.signature().label() + " → " + specific.cause()
                    + ", a specific reason, not the Testing-mode expiry"), List.of(), null);
        }
        Optional<Instant> base = Timing.lastAuthorisation(account, ev.events(), t);
        if (base.isEmpty()) {
            return new Schedule(false, TraceStep.of(STEP_TESTING, Answer.UNKNOWN, "no linked_at or re-authentication"
                    + " before the state change: the 7-day schedule cannot be measured"), List.of(), null);
        }
        Duration own = Duration.between(base.get(), t);
        String ownText = Timing.describe(own) + " after its authorisation at " + base.get();
        EvidenceItem ownItem = new EvidenceItem("account", base.get(), "authorised at " + base.get() + "; failed at "
                + t + ", " + Timing.describe(own) + " later");
        if (!onSchedule(own)) {
            return new Schedule(false, Trace.step(STEP_TESTING, Answer.NO, "this account failed " + ownText
                    + ", not 7 d ± 12 h", ownItem), List.of(), null);
        }
        // Peers: any Google account, any domain; their failures around T (the window length either side).
        Duration reach = window.length();
        List<EvidenceItem> peerItems = new ArrayList<>();
        int googlePeers = 0;
        int onSchedule = 0;
        for (Peer p : ev.peers()) {
            if (p.family() != ProviderFamily.GOOGLE || Objects.equals(p.id(), account.id())) {
                continue;
            }
            googlePeers++;
            List<Instant> auths = Peers.authorisations(p);
            for (Instant f : Peers.failures(p)) {
                if (Duration.between(f, t).abs().compareTo(reach) > 0) {
                    continue;
                }
                Instant auth = null;
                for (Instant a : auths) {
                    if (!a.isAfter(f)) {
                        auth = a;
                    }
                }
                if (auth != null && onSchedule(Duration.between(auth, f))) {
                    onSchedule++;
                    peerItems.add(new EvidenceItem("peers", f, (p.email() == null ? p.id() : p.email()) + " failed "
                            + Timing.describe(Duration.between(auth, f)) + " after its authorisation at " + auth));
                    break;
                }
            }
        }
        if (onSchedule == 0) {
            return new Schedule(false, Trace.step(STEP_TESTING, Answer.NO, "this account failed " + ownText
                    + ", but none of the " + googlePeers + " other Google accounts supplied failed 7 d ± 12 h after"
                    + " its own authorisation: one account is not a schedule", ownItem), List.of(), null);
        }
        List<EvidenceItem> items = new ArrayList<>();
        items.add(ownItem);
        items.addAll(peerItems);
        String detail = "this account failed " + ownText + ", and " + onSchedule + " of " + googlePeers
                + " other Google accounts failed 7 d ± 12 h after their own authorisation → GOOGLE_APP_TESTING_MODE";
        return new Schedule(true, new TraceStep(STEP_TESTING, Answer.YES, detail, items), items,
                Timing.describe(own) + " after it was authorised at " + base.get());
    }

    // ---- refresh-token limit ----------------------------------------------------------------------

    /** The outcome of the same-user re-authorisation check. */
    record Limit(boolean applies, TraceStep step, List<EvidenceItem> evidence, String detail) {
    }

    static Limit refreshTokenLimit(Account account, Evidence ev, Instant t, Hit lastGrant) {
        if (lastGrant == null) {
            return new Limit(false, TraceStep.of(STEP_LIMIT, Answer.NO, "no invalid_grant on this account: the"
                    + " refresh-token limit shows as invalid_grant"), List.of(), null);
        }
        List<Peer> same = Peers.sameEmail(account, ev.peers()).stream()
                .filter(p -> p.family() == ProviderFamily.GOOGLE).toList();
        if (same.isEmpty()) {
            return new Limit(false, TraceStep.of(STEP_LIMIT, Answer.NO, "no other Google account with the same email"
                    + " among the peers"), List.of(), null);
        }
        Optional<Instant> base = Timing.lastAuthorisation(account, ev.events(), t);
        if (base.isEmpty()) {
            return new Limit(false, TraceStep.of(STEP_LIMIT, Answer.UNKNOWN, same.size() + " Google account(s) with"
                    + " the same email, but this account's linked_at is unknown: cannot tell which authorisation is"
                    + " newer"), List.of(), null);
        }
        for (Peer p : same) {
            for (Instant a : Peers.authorisations(p)) {
                if (a.isAfter(base.get()) && !a.isAfter(t)) {
                    EvidenceItem item = new EvidenceItem("peers", a, "same email, account " + p.id() + " ("
                            + p.provider() + ") authorised at " + a + ", after this account's authorisation at "
                            + base.get());
                    String detail = "account " + p.id() + " authorised at " + a + ", "
                            + Timing.describe(Duration.between(a, t)) + " before the failure";
                    return new Limit(true, Trace.step(STEP_LIMIT, Answer.YES, "the same user authorised the client"
                            + " again as account " + p.id() + " at " + a + ", after this account (" + base.get()
                            + ") and before the state change → GOOGLE_REFRESH_TOKEN_LIMIT", item), List.of(item), detail);
                }
            }
        }
        return new Limit(false, TraceStep.of(STEP_LIMIT, Answer.NO, same.size() + " Google account(s) with the same"
                + " email, none authorised between this account's authorisation (" + base.get()
                + ") and the state change"), List.of(), null);
    }

    // ---- inactivity and password change ----------------------------------------------------------

    private static TraceStep inactivityStep(Idle idle, boolean inactive, Hit lastGrant, boolean finding) {
        if (!idle.measured()) {
            return TraceStep.of(STEP_INACTIVITY, Answer.UNKNOWN, "no linked_at, last_activity_at, grant_updated_at or"
                    + " sync activity before the state change: six months of inactivity cannot be measured");
        }
        if (!inactive) {
            return Trace.step(STEP_INACTIVITY, Answer.NO, "authorisation last used " + idle.describe()
                    + ": under six months", idle.item());
        }
        String d = "authorisation last used " + idle.describe() + ": six months or more";
        if (finding) {
            d += " and Google answered " + lastGrant.best().label() + " → REFRESH_TOKEN_INACTIVE (heuristic"
                    + (idle.fromActivity() ? ")" : "; measured from the last authorisation only)");
        } else if (lastGrant == null) {
            d += "; no invalid_grant in the logs to tie the failure to it";
        } else {
            d += "; a specific error explains the failure instead";
        }
        return Trace.step(STEP_INACTIVITY, Answer.YES, d, idle.item());
    }

    private static TraceStep passwordStep(Hit lastGrant, Hit change, boolean finding) {
        if (lastGrant == null) {
            return TraceStep.of(STEP_PASSWORD, Answer.NO, "no invalid_grant on this account");
        }
        if (change == null) {
            return TraceStep.of(STEP_PASSWORD, Answer.NO, "no password change logged before the invalid_grant: Google"
                    + " revokes only Gmail-scoped tokens on a password change, so without such evidence it is not"
                    + " assumed");
        }
        return Trace.step(STEP_PASSWORD, finding ? Answer.YES : Answer.NO, "password change logged at " + change.at()
                + " before " + lastGrant.best().label() + " at " + lastGrant.at()
                + (finding ? " → PASSWORD_CHANGED (heuristic)" : "; a stronger explanation was found"), List.of(change));
    }
}
