package io.synctriage.model;

import java.time.Instant;
import java.util.List;

/**
 * Another account, for the fleet correlations of S2/S3 (same domain, same provider, same email).
 *
 * @param events the peer's notifications (failures with what they logged, re-auths)
 */
public record Peer(String id, String email, String provider, ProviderFamily family, AuthType authType,
                   String state, Instant linkedAt, List<AccountEvent> events) implements Subject {

    public Peer {
        events = List.copyOf(events);
    }
}
