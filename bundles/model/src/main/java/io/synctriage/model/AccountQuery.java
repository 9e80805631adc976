package io.synctriage.model;

/**
 * Filters for listing stored accounts; null means "any". Strings compare case-insensitively.
 *
 * @param state    {@code sync_state} / {@code grant_status}, e.g. {@code invalid}
 * @param domain   email domain
 * @param provider provider attribute as stored ({@code eas}) or family id ({@code microsoft})
 * @param limit    at most this many (1..10000)
 * @param offset   skip this many (paging)
 * @since 1.1
 */
public record AccountQuery(String state, String domain, String provider, int limit, int offset) {

    public AccountQuery {
        if (limit < 1 || limit > 10_000) {
            throw new IllegalArgumentException("limit must be in 1..10000, got " + limit);
        }
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative, got " + offset);
        }
    }
}
