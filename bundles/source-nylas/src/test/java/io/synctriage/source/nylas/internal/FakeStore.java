package io.synctriage.source.nylas.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/**
 * An in-memory store with the real store's semantics that matter to the poller: the latest snapshot wins,
 * a stored notification sets the state it implies, delivery keys are idempotent, records that name no
 * account are refused with IllegalArgumentException. It can be told to fail like a database.
 */
class FakeStore implements EvidenceStore {

    final Map<String, Account> accounts = new LinkedHashMap<>();
    final List<EvidenceRecord.AccountSnapshot> snapshots = new ArrayList<>();
    final List<EvidenceRecord.Notification> notifications = new ArrayList<>();
    final Set<String> keys = new HashSet<>();
    int storeCalls;
    volatile RuntimeException failure;

    @Override
    public synchronized StoreResult store(List<EvidenceRecord> records) {
        storeCalls++;
        if (failure != null) {
            throw failure;
        }
        for (EvidenceRecord r : records) {
            if (r instanceof EvidenceRecord.AccountSnapshot s && (s.account().id() == null
                    || s.account().id().length() > 255)) {
                throw new IllegalArgumentException("account id missing or longer than 255");
            }
        }
        int stored = 0;
        int duplicates = 0;
        for (EvidenceRecord r : records) {
            if (r instanceof EvidenceRecord.AccountSnapshot s) {
                accounts.put(s.account().id(), s.account());
                snapshots.add(s);
                stored++;
            } else if (r instanceof EvidenceRecord.Notification n) {
                if (!keys.add(n.deliveryKey())) {
                    duplicates++;
                    continue;
                }
                notifications.add(n);
                stored++;
                String state = switch (n.event().type()) {
                    case "account.invalid", "grant.expired" -> "invalid";
                    case "account.stopped" -> "stopped";
                    case "account.running" -> "running";
                    case "account.sync_error" -> "sync-error";
                    case "grant.updated", "grant.created" -> "valid";
                    default -> null;
                };
                Account a = accounts.get(n.event().accountId());
                if (state != null && a != null) {
                    accounts.put(a.id(), withState(a, state));
                }
            } else {
                throw new AssertionError("the poller stores snapshots and notifications only: " + r);
            }
        }
        return new StoreResult(stored, duplicates);
    }

    /** Puts an account as a webhook or an earlier import would have left it. */
    synchronized void put(Account a) {
        accounts.put(a.id(), a);
    }

    static Account withState(Account a, String state) {
        return new Account(a.id(), a.email(), a.provider(), a.family(), a.authType(), state, a.billingState(),
                a.linkedAt(), a.createdAt(), a.lastActivityAt(), a.inboxCount(), a.apiVersion());
    }

    @Override
    public synchronized Optional<StoredAccount> account(String idOrEmail) {
        if (failure != null) {
            throw failure;
        }
        Account a = accounts.get(idOrEmail);
        return Optional.ofNullable(a).map(x -> new StoredAccount(x, Instant.EPOCH));
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
    }
}
