package io.synctriage.http.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
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

/** An in-memory store of accounts: lookups by id or email, filters as AccountQuery documents them. */
class FakeStore implements EvidenceStore {

    final List<StoredAccount> accounts = new ArrayList<>();
    volatile AccountQuery lastQuery;
    volatile Instant lastNow;
    volatile RuntimeException failure;

    FakeStore add(String id, String email, String provider, ProviderFamily family, String state, String updatedAt) {
        accounts.add(new StoredAccount(new Account(id, email, provider, family, AuthType.OAUTH, state, null, null, null,
                null, null, 2), Instant.parse(updatedAt)));
        return this;
    }

    @Override
    public StoreResult store(List<EvidenceRecord> records) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        fail();
        Optional<StoredAccount> byId = accounts.stream().filter(a -> a.account().id().equals(idOrEmail)).findFirst();
        if (byId.isPresent()) {
            return byId;
        }
        return accounts.stream()
                .filter(a -> a.account().email() != null && a.account().email().equalsIgnoreCase(idOrEmail))
                .max(Comparator.comparing(StoredAccount::updatedAt));
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        fail();
        lastQuery = query;
        return accounts.stream()
                .filter(a -> query.state() == null || query.state().equalsIgnoreCase(a.account().state()))
                .filter(a -> query.domain() == null || (a.account().email() != null
                        && a.account().email().toLowerCase(Locale.ROOT).endsWith("@" + query.domain().toLowerCase(Locale.ROOT))))
                .filter(a -> query.provider() == null || query.provider().equalsIgnoreCase(a.account().provider())
                        || (a.account().family() != null && query.provider().equalsIgnoreCase(a.account().family().id())))
                .sorted(Comparator.comparing(StoredAccount::updatedAt).reversed())
                .skip(query.offset()).limit(query.limit()).toList();
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        lastNow = now;
        return account(idOrEmail).map(a -> new Evidence(a.account(), List.of(), List.of(), List.of(), List.of(),
                List.of(), now, Set.of(EvidenceSource.ACCOUNT)));
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        throw new UnsupportedOperationException();
    }

    private void fail() {
        if (failure != null) {
            throw failure;
        }
    }
}
