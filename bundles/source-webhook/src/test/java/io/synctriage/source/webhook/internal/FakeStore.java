package io.synctriage.source.webhook.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/** An in-memory store that honours delivery keys like the real one, and can be told to fail. */
class FakeStore implements EvidenceStore {

    final List<EvidenceRecord> stored = new ArrayList<>();
    final Set<String> keys = new HashSet<>();
    int calls;
    volatile RuntimeException failure;

    @Override
    public synchronized StoreResult store(List<EvidenceRecord> records) {
        calls++;
        if (failure != null) {
            throw failure;
        }
        int written = 0;
        int duplicates = 0;
        for (EvidenceRecord record : records) {
            if (record instanceof EvidenceRecord.Notification n && !keys.add(n.deliveryKey())) {
                duplicates++;
                continue;
            }
            stored.add(record);
            written++;
        }
        return new StoreResult(written, duplicates);
    }

    synchronized List<EvidenceRecord.Notification> notifications() {
        List<EvidenceRecord.Notification> out = new ArrayList<>();
        for (EvidenceRecord r : stored) {
            out.add((EvidenceRecord.Notification) r);
        }
        return out;
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        throw new UnsupportedOperationException();
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
