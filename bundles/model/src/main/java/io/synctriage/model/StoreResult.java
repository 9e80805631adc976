package io.synctriage.model;

/**
 * What a store call did, all committed durably before it returned.
 *
 * @param stored     records written
 * @param duplicates notifications already stored under the same delivery key (skipped, not an error)
 * @since 1.1
 */
public record StoreResult(int stored, int duplicates) {
}
