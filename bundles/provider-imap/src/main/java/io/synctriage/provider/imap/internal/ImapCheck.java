package io.synctriage.provider.imap.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Component;

import io.synctriage.model.Account;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
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
import io.synctriage.provider.support.Hosts;
import io.synctriage.provider.support.LogScan;
import io.synctriage.provider.support.Signature;
import io.synctriage.provider.support.SignatureLevel;
import io.synctriage.provider.support.SignatureTable;
import io.synctriage.provider.support.TableProviderCheck;
import io.synctriage.provider.support.Texts;
import io.synctriage.provider.support.Trace;

/**
 * Generic IMAP checks (family {@code imap}: the dashboard's "Other" — imap, yahoo, icloud, aol and
 * unknown providers, password-based). RFC 5530 response codes and provider strings name specific
 * causes, with the provider-qualified reading first ({@code [AUTHENTICATIONFAILED]} on iCloud, Yahoo
 * or AOL means an app password is required, elsewhere a changed password); then the procedure's
 * S5 "UID errors" (UIDVALIDITY resync loops) and the single-account heuristics: repeated server
 * errors, a network restriction on the customer's own server, a same-email successor created by
 * new server settings, and platform parse errors.
 *
 * <p>Provider-qualified rows need the subject in {@code classify}: {@code [AUTHENTICATIONFAILED]}
 * reads differently on iCloud.
 *
 * <p>Knowledge is data ({@code signatures.tsv}, {@code texts.properties}, {@code public-hosts.txt}),
 * loaded once; the component is immutable and thread-safe.
 */
@Component(service = ProviderCheck.class, property = ProviderCheck.FAMILY_PROPERTY + "=imap")
public final class ImapCheck extends TableProviderCheck {

    static final String STEP_CODE = "IMAP_RESPONSE_CODE";
    static final String STEP_AUTH = "IMAP_AUTH_FAILURE";
    static final String STEP_TLS = "IMAP_TLS";
    static final String STEP_UID = "IMAP_UID_ERRORS";
    static final String STEP_SERVER = "IMAP_SERVER_ERRORS";
    static final String STEP_NETWORK = "IMAP_CONNECTIVITY";
    static final String STEP_SUCCESSOR = "IMAP_SUCCESSOR";
    static final String STEP_SYNC = "IMAP_SYNC_ERROR";
    static final List<String> STEPS = List.of(STEP_CODE, STEP_AUTH, STEP_TLS, STEP_UID, STEP_SERVER, STEP_NETWORK,
            STEP_SUCCESSOR, STEP_SYNC);

    static final String TAG_AUTH = "auth";
    static final String TAG_NON_ASCII = "non-ascii";
    static final String TAG_TLS = "tls";
    static final String TAG_UID = "uid-errors";
    static final String TAG_UID_STOP = "uid-stop";
    static final String TAG_REPEATED = "repeated";
    static final String TAG_OWN_SERVER = "own-server";
    static final String TAG_PARSE = "parse-error";
    static final String TAG_NOTE = "note";
    static final Set<String> TAGS = Set.of(TAG_AUTH, TAG_NON_ASCII, TAG_TLS, TAG_UID, TAG_UID_STOP, TAG_REPEATED,
            TAG_OWN_SERVER, TAG_PARSE, TAG_NOTE);

    /** Provider attributes whose servers are public (never the customer's own network). */
    static final Set<String> PUBLIC_PROVIDERS = Set.of("yahoo", "icloud", "aol", "gmail", "google", "outlook",
            "hotmail", "office365", "live");
    static final int REPEATED = 2;
    /** A running same-email successor is strong evidence: the platform only creates a new id for new settings. */
    static final double SUCCESSOR_CONFIDENCE = 0.75;

    static final List<String> RULE_TEXTS = List.of("PASSWORD_CHANGED.non-ascii", Cause.NETWORK_RESTRICTED.name(),
            Cause.SERVER_SETTINGS_CHANGED.name(), Cause.PLATFORM_SYNC_ERROR.name(), Cause.REPEATED_SERVER_ERROR.name(),
            Cause.IMAP_UIDVALIDITY_LOOP.name());

    private final Hosts publicHosts;

    /** Loads the IMAP tables shipped in this bundle. */
    public ImapCheck() {
        this(table(ImapCheck.class, TAGS), texts(ImapCheck.class), Hosts.load(ImapCheck.class, "public-hosts.txt"));
    }

    ImapCheck(SignatureTable table, Texts texts, Hosts publicHosts) {
        super(ProviderFamily.IMAP, STEPS, table, texts, RULE_TEXTS);
        this.publicHosts = publicHosts;
    }

    @Override
    public ProviderReport check(CheckContext context) {
        Evidence ev = context.evidence();
        Account account = ev.account();
        LogScan scan = LogScan.of(context, table());
        Candidates.Resolver resolver = ImapCheck::resolve;
        List<Candidate> candidates = Candidates.group(scan.hits(), resolver);
        List<TraceStep> steps = new ArrayList<>();
        List<Finding> out = new ArrayList<>();

        for (String step : List.of(STEP_CODE, STEP_AUTH, STEP_TLS)) {
            CodeStep code = codeStep(step, switch (step) {
                case STEP_CODE -> "IMAP response code or provider message that names a cause";
                case STEP_AUTH -> "login failure";
                default -> "TLS or certificate failure";
            }, candidates, scan, resolver);
            steps.add(STEP_CODE.equals(step) ? withNotes(code.trace(), scan) : code.trace());
            addFindings(account, code.candidates(), out);
        }

        steps.add(uidStep(scan, account, out));

        Heuristics.Outcome server = Heuristics.repeatedServerErrors(STEP_SERVER, "IMAP", scan, TAG_REPEATED, REPEATED,
                findings, account);
        Heuristics.Outcome network = Heuristics.networkRestricted(STEP_NETWORK, scan, TAG_OWN_SERVER, publicHosts,
                PUBLIC_PROVIDERS, findings, account);
        Heuristics.Outcome successor = Heuristics.successor(STEP_SUCCESSOR, ev, scan.window(), SUCCESSOR_CONFIDENCE,
                findings, account);
        Heuristics.Outcome sync = Heuristics.syncError(STEP_SYNC, scan, TAG_PARSE, findings, account);
        steps.addAll(Heuristics.steps(server, network, successor, sync));
        Heuristics.collect(out, server, network, successor, sync);
        return report(steps, out);
    }

    private static Resolution resolve(Hit hit) {
        Signature s = hit.best();
        if (s.level() == SignatureLevel.INFO || s.hasTag(TAG_REPEATED) || s.hasTag(TAG_OWN_SERVER)
                || s.hasTag(TAG_PARSE) || s.hasTag(TAG_UID)) {
            return null;
        }
        String step = s.hasTag(TAG_TLS) ? STEP_TLS
                : s.hasTag(TAG_AUTH) || s.hasTag(TAG_NON_ASCII) ? STEP_AUTH : STEP_CODE;
        Resolution r = Resolution.of(s, step);
        return s.hasTag(TAG_NON_ASCII) ? r.withVariant(TAG_NON_ASCII) : r;
    }

    /** Informational response codes ([ALERT], [NOPERM]...) are worth a mention in the trace. */
    private static TraceStep withNotes(TraceStep step, LogScan scan) {
        Set<String> notes = new TreeSet<>();
        for (Hit h : scan.hits(h -> h.any(s -> s.hasTag(TAG_NOTE)))) {
            h.signatures().stream().filter(s -> s.hasTag(TAG_NOTE)).forEach(s -> notes.add(s.label()));
        }
        if (notes.isEmpty()) {
            return step;
        }
        return new TraceStep(step.step(), step.answer(), step.detail() + "; informational: " + String.join(", ", notes),
                step.evidence());
    }

    /** The procedure's S5 "Other: UID errors in the sync log?". */
    private TraceStep uidStep(LogScan scan, Account account, List<Finding> out) {
        List<Hit> uid = scan.hits(h -> h.bestIs(s -> s.hasTag(TAG_UID)));
        if (uid.isEmpty()) {
            return scan.logsSupplied() ? TraceStep.of(STEP_UID, Answer.NO, "no UIDVALIDITY change or resync loop in"
                    + " the sync log of the look-back window")
                    : TraceStep.of(STEP_UID, Answer.SKIPPED, "no sync_log supplied: cannot look for UID errors");
        }
        boolean stopped = uid.stream().anyMatch(h -> h.best().hasTag(TAG_UID_STOP));
        long changes = uid.stream().filter(h -> !h.best().hasTag(TAG_UID_STOP)).count();
        double confidence = stopped ? 0.95 : changes >= 3 ? 0.75 : changes == 2 ? 0.55 : 0.4;
        Hit last = uid.get(uid.size() - 1);
        FindingFactory.Builder b = findings.finding(account, Cause.IMAP_UIDVALIDITY_LOOP, Level.HEURISTIC)
                .confidence(confidence)
                .at(last.at())
                .signature(last.best().label())
                .count(uid.size())
                .detail(changes > 0 ? "; UIDVALIDITY changed " + changes + (changes == 1 ? " time" : " times") + " before"
                        : "");
        // The stop line rarely names the server; the UIDVALIDITY lines before it often do.
        for (int i = uid.size() - 1; i >= 0; i--) {
            List<String> hosts = Hosts.extract(uid.get(i).text());
            if (!hosts.isEmpty()) {
                b.host(hosts.get(0));
                break;
            }
        }
        for (int i = uid.size() - 1; i >= 0 && i >= uid.size() - 3; i--) {
            b.evidence(uid.get(i).item());
        }
        out.add(b.build());
        String d = (stopped ? "the sync engine stopped on a UIDVALIDITY resync loop" : "UIDVALIDITY changed")
                + (changes > 0 ? " (" + changes + " UIDVALIDITY change(s) logged)" : "") + ", latest at " + last.at()
                + " → IMAP_UIDVALIDITY_LOOP" + (stopped || changes >= 3 ? "" : " (weak: few changes)");
        return Trace.step(STEP_UID, Answer.YES, d, uid);
    }
}
