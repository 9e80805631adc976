package io.synctriage.model;

import java.time.Instant;

/**
 * One account of an incident.
 *
 * @param accountId       account or grant id
 * @param email           its email, or null
 * @param provider        its provider attribute as stored (e.g. {@code office365}), or null
 * @param failedAt        its first failure that joined the incident
 * @param lastFailedAt    its latest failure that joined the incident (equal to failedAt for one)
 * @param failures        how many of its failures joined the incident
 * @param signature       the error that links it (e.g. {@code AADSTS50173}), or null when its failure logged none
 * @param intervalSeconds for recurring and schedule patterns: time from its (re)authentication (or
 *                        last activity) to the failure; else null
 * @since 1.2
 */
public record IncidentMember(String accountId, String email, String provider, Instant failedAt,
                             Instant lastFailedAt, int failures, String signature, Long intervalSeconds) {
}
