package io.synctriage.model;

import java.time.Instant;

/**
 * One piece of evidence cited by a diagnosis or a trace step.
 *
 * @param source    where it came from: {@code api_log}, {@code sync_log}, {@code auth_log}, {@code webhooks},
 *                  {@code peers}, {@code account}
 * @param timestamp when, or null
 * @param text      the evidence as logged (or a short description of it)
 */
public record EvidenceItem(String source, Instant timestamp, String text) {
}
