package io.synctriage.shell.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountQuery;
import io.synctriage.model.AuthType;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/** An in-memory store of accounts: lookups by id or email (case-insensitive); records the last query. */
class FakeStore implements EvidenceStore {

    final List<StoredAccount> accounts = new ArrayList<>();
    volatile AccountQuery lastQuery;
    volatile RuntimeException failure;

    FakeStore add(String id, String email, String provider, String state, String updatedAt) {
        accounts.add(new StoredAccount(new Account(id, email, provider, ProviderFamily.MICROSOFT, AuthType.OAUTH, state,
                null, null, null, null, null, 2), Instant.parse(updatedAt)));
        return this;
    }

    @Override
    public StoreResult store(List<EvidenceRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        if (failure != null) {
            throw failure;
        }
        return accounts.stream().filter(a -> a.account().id().equals(idOrEmail)
                || (a.account().email() != null && a.account().email().equalsIgnoreCase(idOrEmail))).findFirst();
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        if (failure != null) {
            throw failure;
        }
        lastQuery = query;
        return accounts.stream()
                .filter(a -> query.state() == null || query.state().equalsIgnoreCase(a.account().state()))
                .skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        return account(idOrEmail).map(a -> new Evidence(a.account(), List.of(), List.of(), List.of(), List.of(),
                List.of(), now, Set.of(EvidenceSource.ACCOUNT)));
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
    }
}
