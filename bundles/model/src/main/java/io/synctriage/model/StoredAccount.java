package io.synctriage.model;

import java.time.Instant;

/**
 * A stored account as listed by {@code GET /api/v1/accounts}.
 *
 * @param account   the latest snapshot
 * @param updatedAt when the store last changed it (snapshot or notification)
 * @since 1.1
 */
public record StoredAccount(Account account, Instant updatedAt) {
}
