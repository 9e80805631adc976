package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.Answer;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.Peer;
import io.synctriage.model.TraceStep;
import io.synctriage.model.spi.ErrorKind;
import io.synctriage.model.spi.Finding;
import io.synctriage.model.spi.Level;

/**
 * The single-account heuristics of decision-tree.md precedence 4 that several providers share:
 * repeated server errors, a network restriction on the customer's own server, a running
 * same-email successor, and a platform parse error. Each answers one trace step and at most one
 * HEURISTIC finding.
 */
public final class Heuristics {

    /** A step's answer and its finding (null when none). */
    public record Outcome(TraceStep step, Finding finding) {
    }

    /** Quoted lines per heuristic finding. */
    static final int EVIDENCE_LINES = 3;

    private Heuristics() {
    }

    /** Whether the line's best row names a cause of an authentication or policy kind. */
    public static boolean isAuthOrPolicy(Hit h) {
        Signature s = h.best();
        return s.cause() != null && (s.kind() == ErrorKind.AUTH || s.kind() == ErrorKind.POLICY
                || s.kind() == ErrorKind.CLIENT_CREDENTIALS);
    }

    private static void quote(FindingFactory.Builder b, List<Hit> hits) {
        for (int i = hits.size() - 1; i >= 0 && i >= hits.size() - EVIDENCE_LINES; i--) {
            b.evidence(hits.get(i).item());
        }
    }

    /**
     * REPEATED_SERVER_ERROR when at least {@code min} lines of the window are server errors (their
     * best row carries {@code tag}); one server error is not a repeated one.
     */
    public static Outcome repeatedServerErrors(String stepId, String who, LogScan scan, String tag, int min,
                                               FindingFactory findings, Account account) {
        List<Hit> server = scan.hits(h -> h.bestIs(s -> s.hasTag(tag)));
        if (server.size() < min) {
            return new Outcome(Trace.step(stepId, Answer.NO, server.isEmpty()
                    ? "no " + who + " server error in the look-back window"
                    : server.size() + " " + who + " server error(s) in the look-back window: not repeated (at least "
                    + min + " needed)", server), null);
        }
        Hit last = server.get(server.size() - 1);
        FindingFactory.Builder b = findings.finding(account, Cause.REPEATED_SERVER_ERROR, Level.HEURISTIC)
                .confidence(Math.min(0.8, last.best().confidence() + 0.05 * (server.size() - min)))
                .at(last.at())
                .signature(last.best().label())
                .count(server.size())
                .alternatives(last.best().alternatives());
        List<String> hosts = Hosts.extract(last.text());
        if (!hosts.isEmpty()) {
            b.host(hosts.get(0));
        }
        quote(b, server);
        return new Outcome(Trace.step(stepId, Answer.YES, server.size() + " " + who + " server errors in the look-back"
                + " window (latest " + last.best().label() + " at " + last.at() + ") → REPEATED_SERVER_ERROR", server),
                b.build());
    }

    /**
     * NETWORK_RESTRICTED: timeouts or refusals (lines whose best row carries {@code tag}) to the
     * customer's own server, with no authentication error in the window (a login that was rejected
     * proves the server was reachable). A public provider's host, or a public provider attribute,
     * rules it out: a timeout there is not the customer's allow-list.
     */
    public static Outcome networkRestricted(String stepId, LogScan scan, String tag, Hosts publicHosts,
                                            Set<String> publicProviders, FindingFactory findings, Account account) {
        List<Hit> net = scan.hits(h -> h.bestIs(s -> s.hasTag(tag)));
        if (net.isEmpty()) {
            return new Outcome(TraceStep.of(stepId, Answer.NO, "no connection timeout or refusal in the look-back window"),
                    null);
        }
        Optional<Hit> auth = scan.latest(Heuristics::isAuthOrPolicy);
        if (auth.isPresent()) {
            return new Outcome(Trace.step(stepId, Answer.NO, net.size() + " connection failure(s), but the server also"
                    + " answered " + auth.get().best().label() + " at " + auth.get().at()
                    + ": it was reachable, so this is not a network restriction", net), null);
        }
        Set<String> hosts = new LinkedHashSet<>();
        net.forEach(h -> hosts.addAll(Hosts.extract(h.text())));
        String pub = publicHosts.firstPublic(hosts);
        String provider = account.provider() == null ? null : account.provider().trim().toLowerCase(Locale.ROOT);
        if (pub == null && provider != null && publicProviders.contains(provider)) {
            pub = provider;
        }
        if (pub != null) {
            return new Outcome(Trace.step(stepId, Answer.NO, net.size() + " connection failure(s) to " + pub
                    + ", a public provider's server: not a restriction on the customer's network", net), null);
        }
        Hit last = net.get(net.size() - 1);
        String host = hosts.isEmpty() ? null : hosts.iterator().next();
        FindingFactory.Builder b = findings.finding(account, Cause.NETWORK_RESTRICTED, Level.HEURISTIC)
                .confidence(Math.min(0.75, last.best().confidence() + (net.size() >= 2 ? 0.1 : 0)))
                .at(last.at())
                .signature(last.best().label())
                .count(net.size())
                .host(host)
                .alternatives(last.best().alternatives());
        quote(b, net);
        return new Outcome(Trace.step(stepId, Answer.YES, net.size() + " connection failure(s) to "
                + (host == null ? "the customer's own server" : host) + " (latest " + last.best().label() + " at "
                + last.at() + ") and no authentication error → NETWORK_RESTRICTED", net), b.build());
    }

    /**
     * SERVER_SETTINGS_CHANGED: a peer with the same email and another id, linked after this account
     * and running now. It counts even when linked after T (users re-authenticate after the failure);
     * then the finding is timeless ({@code at} null) because later evidence has no place on the
     * account's own timeline.
     */
    public static Outcome successor(String stepId, Evidence ev, Window window, double confidence,
                                    FindingFactory findings, Account account) {
        Optional<Peer> successor = Peers.runningSuccessor(account, ev.peers());
        if (successor.isEmpty()) {
            int same = Peers.sameEmail(account, ev.peers()).size();
            return new Outcome(TraceStep.of(stepId, Answer.NO, same == 0
                    ? "no other account with the same email among the peers"
                    : same + " other account(s) with the same email, none running and linked after this one"), null);
        }
        Peer p = successor.get();
        Instant linked = p.linkedAt();
        EvidenceItem item = new EvidenceItem("peers", linked, "account " + p.id() + " (" + p.provider() + ", "
                + p.state() + ") with the same email, linked at " + linked
                + (account.linkedAt() == null ? "" : ", after this account's " + account.linkedAt()));
        Finding f = findings.finding(account, Cause.SERVER_SETTINGS_CHANGED, Level.HEURISTIC)
                .confidence(confidence)
                .at(window.isAfterT(linked) ? null : linked)
                .evidence(item)
                .signature("same-email successor " + p.id())
                .detail(" (new account " + p.id() + ", linked at " + linked + ")")
                .build();
        return new Outcome(Trace.step(stepId, Answer.YES, "account " + p.id() + " has the same email, was linked at "
                + linked + " after this one and is " + p.state() + " → SERVER_SETTINGS_CHANGED", item), f);
    }

    private static final Set<String> QUIET_LEVELS = Set.of("debug", "trace", "info", "notice", "warn", "warning");

    /**
     * PLATFORM_SYNC_ERROR: parse/serialisation errors (best row carries {@code tag}) logged as errors
     * (a warning that an item was skipped is not one), on an account that was stopped rather than
     * declared invalid, with no authentication or server error in the window.
     */
    public static Outcome syncError(String stepId, LogScan scan, String tag, FindingFactory findings, Account account) {
        List<Hit> parse = scan.hits(h -> h.bestIs(s -> s.hasTag(tag))
                && (h.level() == null || !QUIET_LEVELS.contains(h.level())));
        if (parse.isEmpty()) {
            return new Outcome(TraceStep.of(stepId, Answer.NO, "no parse or serialisation error logged as an error"),
                    null);
        }
        String state = account.state() == null ? "" : account.state().trim().toLowerCase(Locale.ROOT);
        if (state.startsWith("invalid")) {
            return new Outcome(Trace.step(stepId, Answer.NO, "parse error(s) logged, but the account is " + account.state()
                    + " (credentials rejected): a parse error does not explain that", parse), null);
        }
        Optional<Hit> other = scan.latest(h -> isAuthOrPolicy(h) || h.best().kind() == ErrorKind.SERVER
                && h.best().cause() != null);
        if (other.isPresent()) {
            return new Outcome(Trace.step(stepId, Answer.NO, "parse error(s) logged, but " + other.get().best().label()
                    + " at " + other.get().at() + " explains the stop better", parse), null);
        }
        Hit last = parse.get(parse.size() - 1);
        FindingFactory.Builder b = findings.finding(account, Cause.PLATFORM_SYNC_ERROR, Level.HEURISTIC)
                .confidence(States.isStopped(account.state()) ? 0.7 : 0.55)
                .at(last.at())
                .signature(last.best().label())
                .count(parse.size());
        quote(b, parse);
        return new Outcome(Trace.step(stepId, Answer.YES, parse.size() + " parse/serialisation error(s) (latest "
                + last.best().label() + " at " + last.at() + ") and no authentication or server error → PLATFORM_SYNC_ERROR",
                parse), b.build());
    }

    /** Adds the finding of each outcome that has one. */
    public static void collect(List<Finding> into, Outcome... outcomes) {
        for (Outcome o : outcomes) {
            if (o.finding() != null) {
                into.add(o.finding());
            }
        }
    }

    /** The steps of the outcomes, in order. */
    public static List<TraceStep> steps(Outcome... outcomes) {
        List<TraceStep> out = new ArrayList<>();
        for (Outcome o : outcomes) {
            out.add(o.step());
        }
        return out;
    }
}
