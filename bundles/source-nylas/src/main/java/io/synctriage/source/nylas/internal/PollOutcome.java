package io.synctriage.source.nylas.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * What one poll did. A poll that failed half-way keeps what it stored before the failure (each page is
 * stored as it arrives), so the counts are meaningful with an error too.
 *
 * @param startedAt      when the poll started (the time of the state changes it recorded)
 * @param finishedAt     when it ended
 * @param apiVersion     2 or 3
 * @param pages          pages read
 * @param accountsSeen   distinct accounts/grants listed
 * @param snapshotsStored account snapshots stored (new or changed accounts)
 * @param changesRecorded state changes recorded as synthetic notifications
 * @param rejected       listed objects that could not be read or stored (skipped)
 * @param error          why the poll stopped early, or null when it read the whole list
 * @param errorKind      what kind of API failure ended the poll; null when it is complete or ended otherwise
 *                       (store failure, cursor loop, page bound, configuration)
 * @param retryAfter     the server's Retry-After when it asked us to come back later, else null
 */
record PollOutcome(Instant startedAt, Instant finishedAt, int apiVersion, int pages, int accountsSeen,
                   int snapshotsStored, int changesRecorded, int rejected, String error,
                   NylasApiException.Kind errorKind, Duration retryAfter) {

    /** The outcome of a poll that could not start: the configuration is unusable. */
    static PollOutcome notStarted(Instant now, int apiVersion, String error) {
        return new PollOutcome(now, now, apiVersion, 0, 0, 0, 0, 0, error, null, null);
    }

    /** Whether the failure is the API's or the network's passing state (429, 5xx, timeout), not ours to fix. */
    boolean transientFailure() {
        return errorKind == NylasApiException.Kind.UNAVAILABLE || errorKind == NylasApiException.Kind.IO;
    }

    boolean complete() {
        return error == null;
    }

    /** One log line. */
    String summary() {
        StringBuilder b = new StringBuilder("Nylas v").append(apiVersion).append(" poll ")
                .append(complete() ? "complete" : "incomplete").append(": ")
                .append(accountsSeen).append(apiVersion == 3 ? " grants" : " accounts").append(" in ")
                .append(pages).append(pages == 1 ? " page, " : " pages, ")
                .append(changesRecorded).append(" state change(s) recorded, ")
                .append(snapshotsStored).append(" snapshot(s) stored, ")
                .append(rejected).append(" rejected, ")
                .append(Duration.between(startedAt, finishedAt).toMillis()).append(" ms");
        if (error != null) {
            b.append("; error: ").append(error);
        }
        return b.toString();
    }
}
