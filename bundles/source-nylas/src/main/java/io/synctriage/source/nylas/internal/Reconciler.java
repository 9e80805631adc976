package io.synctriage.source.nylas.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.EvidenceReader;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.InvalidEvidenceException;
import io.synctriage.model.StoredAccount;

/**
 * One reconciliation poll: pages through the whole account (v2) or grant (v3) list, normalises each object
 * with the engine's {@link EvidenceReader}, and stores, page by page, the snapshots of new and changed
 * accounts. When a known account's state differs from the stored one, a webhook was missed: a synthetic
 * notification of the new state is stored too, timed at the poll, so that the diagnosis sees a state change
 * with a time (the change happened at the latest then).
 *
 * <p>Per page, the notifications are stored before the snapshots, in a separate call: the store applies a
 * notification's state with its time and records the change once; a snapshot stored after it then finds the
 * state already set. (In one call the store would apply the snapshot first, timed at its own clock.)
 *
 * <p>Accounts seen for the first time get a snapshot only: there is no earlier state to have changed from,
 * and no time to give a change.
 */
final class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final PollerSettings settings;
    private final NylasApi api;
    private final EvidenceReader reader;
    private final EvidenceStore store;
    private final Clock clock;

    Reconciler(PollerSettings settings, NylasApi api, EvidenceReader reader, EvidenceStore store, Clock clock) {
        this.settings = settings;
        this.api = api;
        this.reader = reader;
        this.store = store;
        this.clock = clock;
    }

    /** Polls the whole list once. Never throws but for an interrupt: every failure ends up in the outcome. */
    PollOutcome poll() throws InterruptedException {
        Run run = new Run(clock.instant());
        String error = null;
        NylasApiException.Kind errorKind = null;
        Duration retryAfter = null;
        try {
            if (settings.apiVersion() == 3) {
                pollV3(run);
            } else {
                pollV2(run);
            }
        } catch (NylasApiException e) {
            error = e.getMessage();
            errorKind = e.kind();
            retryAfter = e.kind() == NylasApiException.Kind.UNAVAILABLE ? e.retryAfter() : null;
        } catch (EvidenceStore.StoreException e) {
            LOG.debug("evidence store failure during the Nylas poll", e);
            error = "the evidence store failed, the rest of the list is left for the next poll: " + e.getMessage();
        } catch (RuntimeException e) {
            // a bug or an unexpected service failure must end this poll, not the scheduler
            LOG.warn("Nylas poll failed unexpectedly", e);
            error = "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage();
        } catch (StopPolling e) {
            error = e.getMessage();
        }
        if (run.firstRejection != null) {
            LOG.warn("Nylas poll: {} listed object(s) skipped; first: {}", run.rejected, run.firstRejection);
        }
        return new PollOutcome(run.startedAt, clock.instant(), settings.apiVersion(), run.pages, run.seen.size(),
                run.snapshots, run.changes, run.rejected, error, errorKind, retryAfter);
    }

    private void pollV2(Run run) throws NylasApiException, InterruptedException, StopPolling {
        long offset = 0;
        while (true) {
            checkPageBound(run);
            NylasApi.Page page = api.v2Page(offset);
            run.pages++;
            if (page.items().isEmpty()) {
                return;
            }
            int fresh = process(run, page.items(), offset);
            if (fresh == 0) {
                // A server that ignores offset would return the first page forever.
                throw new StopPolling("the account list at offset " + offset + " repeats accounts already listed "
                        + "in this poll (offset ignored?); stopped paging");
            }
            offset += page.items().size();
        }
    }

    private void pollV3(Run run) throws NylasApiException, InterruptedException, StopPolling {
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        long index = 0;
        while (true) {
            checkPageBound(run);
            NylasApi.Page page = api.v3Page(cursor);
            run.pages++;
            process(run, page.items(), index);
            index += page.items().size();
            if (page.nextCursor() == null || page.items().isEmpty()) {
                return;
            }
            if (!cursors.add(page.nextCursor())) {
                throw new StopPolling("the grant list returned a next_cursor it already returned in this poll "
                        + "(a cursor loop); stopped paging after " + run.pages + " page(s)");
            }
            cursor = page.nextCursor();
        }
    }

    private void checkPageBound(Run run) throws StopPolling {
        if (run.pages >= settings.maxPages()) {
            throw new StopPolling("stopped after max.pages = " + settings.maxPages() + " pages of " + settings.pageSize()
                    + "; raise max.pages (or page.size) in etc/" + NylasConfig.PID + ".cfg if the list is that long");
        }
    }

    /**
     * Reads and stores one page; returns how many objects were not listed before in this poll (unreadable
     * ones count: they are not a repetition we could detect).
     */
    private int process(Run run, List<Object> items, long firstIndex) {
        int fresh = 0;
        List<EvidenceRecord> notifications = new ArrayList<>();
        List<EvidenceRecord> snapshots = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = (settings.apiVersion() == 3 ? "grants[" : "accounts[") + (firstIndex + i) + "]";
            Account polled;
            try {
                polled = reader.account(items.get(i), path);
            } catch (InvalidEvidenceException e) {
                run.reject(e.getMessage());
                fresh++;
                continue;
            }
            String id = polled.id().trim();
            if (!run.seen.add(id)) {
                continue; // listed again (the list shifted while we paged): once per poll is enough
            }
            fresh++;
            Optional<Account> stored = store.account(id).map(StoredAccount::account)
                    .filter(a -> a.id() != null && a.id().trim().equals(id)); // not another account of that email
            if (stored.isEmpty()) {
                snapshots.add(new EvidenceRecord.AccountSnapshot(polled));
                continue;
            }
            Account known = stored.get();
            if (StateChanges.changed(known.state(), polled.state())) {
                String type = StateChanges.notificationType(polled);
                if (type != null) {
                    notifications.add(new EvidenceRecord.Notification(
                            new AccountEvent(type, run.startedAt, id, polled.email(), polled.provider(),
                                    null, null, null, null, null),
                            "poll:" + id + ":" + polled.state().trim().toLowerCase(Locale.ROOT) + ":"
                                    + run.startedAt.getEpochSecond()));
                }
                LOG.info("Nylas poll: account {} changed from {} to {} without a webhook{}", id, known.state(),
                        polled.state(), type == null ? "" : "; recorded as " + type);
                snapshots.add(new EvidenceRecord.AccountSnapshot(polled));
            } else if (StateChanges.snapshotDiffers(polled, known)) {
                snapshots.add(new EvidenceRecord.AccountSnapshot(polled));
            }
        }
        run.changes += store(run, notifications);
        run.snapshots += store(run, snapshots);
        return fresh;
    }

    /**
     * Stores a batch in one transaction. A record the store refuses (IllegalArgumentException: e.g. a value
     * longer than its column) would fail the whole batch: then each record is stored alone and only the
     * refused ones are skipped. A database failure propagates and ends the poll.
     */
    private int store(Run run, List<EvidenceRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        try {
            return store.store(records).stored();
        } catch (IllegalArgumentException batchRefused) {
            int stored = 0;
            for (EvidenceRecord r : records) {
                try {
                    stored += store.store(List.of(r)).stored();
                } catch (IllegalArgumentException refused) {
                    run.reject("refused by the evidence store: " + refused.getMessage());
                }
            }
            return stored;
        }
    }

    /** The counters of one poll. */
    private static final class Run {
        final Instant startedAt;
        final Set<String> seen = new HashSet<>();
        int pages;
        int snapshots;
        int changes;
        int rejected;
        String firstRejection;

        Run(Instant startedAt) {
            this.startedAt = startedAt;
        }

        void reject(String why) {
            rejected++;
            if (firstRejection == null) {
                firstRejection = why;
            }
        }
    }

    /** Paging cannot go on (a loop or the page bound); what was stored stays. */
    private static final class StopPolling extends Exception {
        private static final long serialVersionUID = 1L;

        StopPolling(String message) {
            super(message, null, false, false);
        }
    }
}
