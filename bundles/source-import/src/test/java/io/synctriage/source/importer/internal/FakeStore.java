package io.synctriage.source.importer.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/**
 * An in-memory EvidenceStore with the contract's observable behaviour: all-or-nothing per call,
 * IllegalArgumentException for a record naming nobody, duplicates by delivery key. It can be told to
 * refuse certain records or to fail as a database would.
 */
final class FakeStore implements EvidenceStore {

    final List<EvidenceRecord> records = new ArrayList<>();
    final List<Integer> callSizes = new ArrayList<>();
    final Map<String, StoredAccount> accounts = new LinkedHashMap<>();
    private final Set<String> keys = new HashSet<>();
    /** Records the store refuses with IllegalArgumentException (as a real store would for bad data). */
    Predicate<EvidenceRecord> refuse = r -> false;
    /** Calls after which store() fails with StoreException; -1 never. */
    int failAfterCalls = -1;

    @Override
    public synchronized StoreResult store(List<EvidenceRecord> batch) {
        if (failAfterCalls >= 0 && callSizes.size() >= failAfterCalls) {
            throw new StoreException("database down", new java.sql.SQLException("connection refused"));
        }
        for (EvidenceRecord r : batch) {
            if (!namesSomeone(r)) {
                throw new IllegalArgumentException("a record names neither an account id nor an email: " + r);
            }
            if (refuse.test(r)) {
                throw new IllegalArgumentException("refused: " + r);
            }
        }
        callSizes.add(batch.size());
        int stored = 0;
        int duplicates = 0;
        Set<String> seen = new HashSet<>();
        for (EvidenceRecord r : batch) {
            if (r instanceof EvidenceRecord.Notification n) {
                if (!seen.add(n.deliveryKey())) {
                    throw new IllegalStateException("the same delivery key twice in one call: " + n.deliveryKey());
                }
                if (!keys.add(n.deliveryKey())) {
                    duplicates++;
                    continue;
                }
            }
            records.add(r);
            stored++;
            if (r instanceof EvidenceRecord.AccountSnapshot s) {
                accounts.put(s.account().id(), new StoredAccount(s.account(), Instant.now()));
            }
        }
        return new StoreResult(stored, duplicates);
    }

    private static boolean namesSomeone(EvidenceRecord r) {
        if (r instanceof EvidenceRecord.AccountSnapshot s) {
            return s.account().id() != null;
        }
        if (r instanceof EvidenceRecord.Notification n) {
            return n.event().accountId() != null || n.event().email() != null;
        }
        if (r instanceof EvidenceRecord.ApiLogEntry a) {
            return a.call().accountId() != null || a.call().email() != null;
        }
        EvidenceRecord.LogEntry l = (EvidenceRecord.LogEntry) r;
        return l.line().accountId() != null || l.line().email() != null;
    }

    <T extends EvidenceRecord> List<T> all(Class<T> type) {
        return records.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        return Optional.ofNullable(accounts.get(idOrEmail));
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        return accounts.values().stream().skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        throw new UnsupportedOperationException("not used by the importer");
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        throw new UnsupportedOperationException("not used by the importer");
    }
}
