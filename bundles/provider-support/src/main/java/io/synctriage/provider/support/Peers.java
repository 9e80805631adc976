package io.synctriage.provider.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.Peer;
import io.synctriage.model.Subject;

/** Fleet helpers over the peers of an evidence bundle. */
public final class Peers {

    private Peers() {
    }

    /** Peers with the same email (case-insensitive) and another id: successors or duplicate authorisations. */
    public static List<Peer> sameEmail(Subject account, List<Peer> peers) {
        List<Peer> out = new ArrayList<>();
        String email = account.normalizedEmail();
        if (email == null) {
            return out;
        }
        for (Peer p : peers) {
            if (email.equals(p.normalizedEmail()) && !Objects.equals(p.id(), account.id())) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * The same-email peer with another id that was linked after this account's {@code linked_at}
     * and is running (or on its way to it) now: the user re-authenticated with other server
     * settings, which creates a new account id (decision-tree.md: counts even when linked after T).
     * The latest-linked one when several qualify.
     */
    public static Optional<Peer> runningSuccessor(Account account, List<Peer> peers) {
        Peer best = null;
        for (Peer p : sameEmail(account, peers)) {
            if (!States.isHealthy(p.state()) || p.linkedAt() == null) {
                continue;
            }
            if (account.linkedAt() != null && !p.linkedAt().isAfter(account.linkedAt())) {
                continue;
            }
            if (best == null || p.linkedAt().isAfter(best.linkedAt())) {
                best = p;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Timestamps of the peer's failure events, oldest first. */
    public static List<Instant> failures(Peer peer) {
        List<Instant> out = new ArrayList<>();
        for (AccountEvent e : peer.events()) {
            if (e.isFailure() && e.timestamp() != null) {
                out.add(e.timestamp());
            }
        }
        out.sort(null);
        return out;
    }

    /** Authorisations of the peer ({@code linked_at} and re-authentication events), oldest first. */
    public static List<Instant> authorisations(Peer peer) {
        List<Instant> out = new ArrayList<>();
        if (peer.linkedAt() != null) {
            out.add(peer.linkedAt());
        }
        for (AccountEvent e : peer.events()) {
            if (e.isReauthentication() && e.timestamp() != null && !out.contains(e.timestamp())) {
                out.add(e.timestamp());
            }
        }
        out.sort(null);
        return out;
    }
}
