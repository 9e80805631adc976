package io.synctriage.provider.eas.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
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
import io.synctriage.provider.support.CodeSteps;
import io.synctriage.provider.support.Heuristics;
import io.synctriage.provider.support.Hit;
import io.synctriage.provider.support.Hosts;
import io.synctriage.provider.support.LogScan;
import io.synctriage.provider.support.Signature;
import io.synctriage.provider.support.SignatureLevel;
import io.synctriage.provider.support.SignatureTable;
import io.synctriage.provider.support.TableProviderCheck;
import io.synctriage.provider.support.States;
import io.synctriage.provider.support.Texts;

/**
 * Exchange ActiveSync / EWS-basic checks (family {@code eas}: the dashboard's "Exchange"). MS-ASHTTP
 * HTTP statuses and MS-ASCMD command statuses name specific causes (device blocked or quarantined,
 * provisioning, device limit, disabled user, missing mailbox, expired password, redirect); Exchange
 * Online answers that retire basic auth are recognised; then the procedure's S5 "Exchange: inbox with
 * at most two messages?" heuristic — which any specific status code outranks — and the shared
 * single-account heuristics (repeated server errors, network restriction on the customer's own
 * server, a same-email successor, a platform parse error).
 *
 * <p>{@code classify} gives EAS status 129 and friends the MAIL_ADMIN causes the engine refines a
 * domain pattern with.
 *
 * <p>Knowledge is data ({@code signatures.tsv}, {@code texts.properties}, {@code public-hosts.txt}),
 * loaded once; the component is immutable and thread-safe.
 */
@Component(service = ProviderCheck.class, property = ProviderCheck.FAMILY_PROPERTY + "=eas")
public final class EasCheck extends TableProviderCheck {

    static final String STEP_HTTP = "EAS_HTTP_STATUS";
    static final String STEP_STATUS = "EAS_STATUS_CODE";
    static final String STEP_BASIC = "EAS_BASIC_AUTH";
    static final String STEP_INBOX = "EAS_INBOX_COUNT";
    static final String STEP_SERVER = "EAS_SERVER_ERRORS";
    static final String STEP_NETWORK = "EAS_CONNECTIVITY";
    static final String STEP_SUCCESSOR = "EAS_SUCCESSOR";
    static final String STEP_SYNC = "EAS_SYNC_ERROR";
    static final List<String> STEPS = List.of(STEP_HTTP, STEP_STATUS, STEP_BASIC, STEP_INBOX, STEP_SERVER, STEP_NETWORK,
            STEP_SUCCESSOR, STEP_SYNC);

    static final String TAG_HTTP = "http";
    static final String TAG_BASIC = "basic-auth";
    static final String TAG_REPEATED = "repeated";
    static final String TAG_OWN_SERVER = "own-server";
    static final String TAG_TLS = "tls";
    static final String TAG_PARSE = "parse-error";
    static final Set<String> TAGS = Set.of(TAG_HTTP, TAG_BASIC, TAG_REPEATED, TAG_OWN_SERVER, TAG_TLS, TAG_PARSE);

    /** The procedure's threshold: an Exchange inbox with at most this many messages. */
    static final int LOW_INBOX = 2;
    static final int REPEATED = 2;
    static final double SUCCESSOR_CONFIDENCE = 0.75;
    /** Exchange family accounts are never on a public provider by attribute; hosts decide. */
    static final Set<String> PUBLIC_PROVIDERS = Set.of();

    static final List<String> RULE_TEXTS = List.of(Cause.EAS_LOW_INBOX_COUNT.name(), Cause.NETWORK_RESTRICTED.name(),
            Cause.SERVER_SETTINGS_CHANGED.name(), Cause.PLATFORM_SYNC_ERROR.name(), Cause.REPEATED_SERVER_ERROR.name());

    private final Hosts publicHosts;

    /** Loads the Exchange tables shipped in this bundle. */
    public EasCheck() {
        this(table(EasCheck.class, TAGS), texts(EasCheck.class), Hosts.load(EasCheck.class, "public-hosts.txt"));
    }

    EasCheck(SignatureTable table, Texts texts, Hosts publicHosts) {
        super(ProviderFamily.EAS, STEPS, table, texts, RULE_TEXTS);
        this.publicHosts = publicHosts;
    }

    @Override
    public ProviderReport check(CheckContext context) {
        Evidence ev = context.evidence();
        Account account = ev.account();
        LogScan scan = LogScan.of(context, table());
        Candidates.Resolver resolver = EasCheck::resolve;
        List<Candidate> candidates = Candidates.group(scan.hits(), resolver);
        List<TraceStep> steps = new ArrayList<>();
        List<Finding> out = new ArrayList<>();

        for (String step : List.of(STEP_HTTP, STEP_STATUS, STEP_BASIC)) {
            CodeStep code = codeStep(step, switch (step) {
                case STEP_HTTP -> "Exchange HTTP status or login failure that names a cause";
                case STEP_STATUS -> "EAS status code that names a cause";
                default -> "Exchange Online answer retiring basic authentication";
            }, candidates, scan, resolver);
            steps.add(code.trace());
            addFindings(account, code.candidates(), out);
        }

        Optional<Candidate> specific = candidates.stream().filter(c -> c.level() == Level.SPECIFIC).findFirst();
        steps.add(inboxStep(account, ev, specific, out));

        Heuristics.Outcome server = Heuristics.repeatedServerErrors(STEP_SERVER, "Exchange", scan, TAG_REPEATED, REPEATED,
                findings, account);
        Heuristics.Outcome network = Heuristics.networkRestricted(STEP_NETWORK, scan, TAG_OWN_SERVER, publicHosts,
                PUBLIC_PROVIDERS, findings, account);
        // TLS failures are reported with connectivity: both are about reaching the customer's server.
        List<Candidate> tls = candidates.stream().filter(c -> c.signature().hasTag(TAG_TLS)).toList();
        TraceStep networkStep = network.step();
        if (!tls.isEmpty()) {
            TraceStep t = CodeSteps.report(STEP_NETWORK, "TLS failure", tls, scan, 0);
            networkStep = new TraceStep(STEP_NETWORK, Answer.YES, t.detail() + "; " + networkStep.detail(),
                    t.evidence());
            addFindings(account, tls, out);
        }
        Heuristics.Outcome successor = Heuristics.successor(STEP_SUCCESSOR, ev, scan.window(), SUCCESSOR_CONFIDENCE,
                findings, account);
        Heuristics.Outcome sync = Heuristics.syncError(STEP_SYNC, scan, TAG_PARSE, findings, account);
        steps.add(server.step());
        steps.add(networkStep);
        steps.add(successor.step());
        steps.add(sync.step());
        Heuristics.collect(out, server, network, successor, sync);
        return report(steps, out);
    }

    private static Resolution resolve(Hit hit) {
        Signature s = hit.best();
        if (s.level() == SignatureLevel.INFO || s.hasTag(TAG_REPEATED) || s.hasTag(TAG_OWN_SERVER)
                || s.hasTag(TAG_PARSE)) {
            return null;
        }
        String step = s.hasTag(TAG_TLS) ? STEP_NETWORK
                : s.hasTag(TAG_BASIC) ? STEP_BASIC : s.hasTag(TAG_HTTP) ? STEP_HTTP : STEP_STATUS;
        return Resolution.of(s, step);
    }

    /**
     * The procedure's S5 "Exchange (EAS): inbox with at most two messages?" on a stopped or invalid
     * account. A specific status code of the same account outranks it, so it stays as a weaker
     * finding (the engine ranks it as an alternative).
     */
    private TraceStep inboxStep(Account account, Evidence ev, Optional<Candidate> specific, List<Finding> out) {
        Integer n = account.inboxCount();
        if (n == null) {
            return TraceStep.of(STEP_INBOX, Answer.UNKNOWN, "inbox_count not supplied: cannot check the"
                    + " at-most-two-messages case");
        }
        if (n > LOW_INBOX) {
            return TraceStep.of(STEP_INBOX, Answer.NO, "the inbox holds " + n + " messages (more than " + LOW_INBOX + ")");
        }
        boolean failing = States.isFailing(account.state()) || ev.events().stream().anyMatch(AccountEvent::isFailure);
        if (!failing) {
            return TraceStep.of(STEP_INBOX, Answer.NO, "the inbox holds " + n + " message(s), but the account is "
                    + account.state() + ", not stopped or invalid");
        }
        EvidenceItem item = new EvidenceItem("account", null, "inbox_count = " + n + ", sync_state = " + account.state());
        out.add(findings.finding(account, Cause.EAS_LOW_INBOX_COUNT, Level.HEURISTIC)
                .confidence(specific.isPresent() ? 0.3 : 0.6)
                .evidence(item)
                .signature("inbox_count " + n)
                .detail(n == 1 ? "1 message" : n + " messages")
                .build());
        String d = "the inbox holds " + n + " message(s) (at most " + LOW_INBOX + ") on a " + account.state()
                + " account → EAS_LOW_INBOX_COUNT (heuristic";
        d += specific.map(c -> "; " + c.signature().label() + " is specific and outranks it)").orElse(")");
        return new TraceStep(STEP_INBOX, Answer.YES, d, List.of(item));
    }
}
