package io.synctriage.provider.support.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.AuthType;
import io.synctriage.model.Cause;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceItem;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.model.spi.CheckContext;
import io.synctriage.model.spi.FleetPattern;
import io.synctriage.model.spi.PatternKind;

/**
 * Hand-built evidence for provider-check tests (the engine's normaliser is not used here): accounts,
 * log lines, events, peers and check contexts.
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Instant t(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }

    // ---- accounts ----------------------------------------------------------------------------

    public static AccountBuilder account(String id) {
        return new AccountBuilder(id);
    }

    /** Builder for {@link Account}; family/auth default from the provider spelling. */
    public static final class AccountBuilder {
        private final String id;
        private String email = "user@example.org";
        private String provider;
        private ProviderFamily family;
        private AuthType authType;
        private String state = "invalid";
        private String billing = "paid";
        private Instant linkedAt;
        private Instant createdAt;
        private Instant lastActivityAt;
        private Integer inboxCount;
        private int apiVersion = 2;

        private AccountBuilder(String id) {
            this.id = id;
        }

        public AccountBuilder email(String e) {
            email = e;
            return this;
        }

        public AccountBuilder provider(String p, ProviderFamily f) {
            provider = p;
            family = f;
            return this;
        }

        public AccountBuilder auth(AuthType a) {
            authType = a;
            return this;
        }

        public AccountBuilder state(String s) {
            state = s;
            return this;
        }

        public AccountBuilder linked(String iso) {
            linkedAt = t(iso);
            return this;
        }

        public AccountBuilder created(String iso) {
            createdAt = t(iso);
            return this;
        }

        public AccountBuilder lastActivity(String iso) {
            lastActivityAt = t(iso);
            return this;
        }

        public AccountBuilder inbox(Integer n) {
            inboxCount = n;
            return this;
        }

        public AccountBuilder v3() {
            apiVersion = 3;
            return this;
        }

        public Account build() {
            AuthType auth = authType != null ? authType : family != null ? family.defaultAuth() : null;
            return new Account(id, email, provider, family, auth, state, billing, linkedAt, createdAt,
                    lastActivityAt, inboxCount, apiVersion);
        }
    }

    // ---- log lines and events ----------------------------------------------------------------

    public static LogLine auth(String iso, String error, String message) {
        return new LogLine(EvidenceSource.AUTH_LOG, t(iso), null, error, message, null, null);
    }

    public static LogLine sync(String iso, String level, String message) {
        return new LogLine(EvidenceSource.SYNC_LOG, t(iso), level, null, message, null, null);
    }

    /** A sync line logged for another account. */
    public static LogLine syncFor(String accountId, String iso, String message) {
        return new LogLine(EvidenceSource.SYNC_LOG, t(iso), "error", null, message, accountId, null);
    }

    public static AccountEvent event(String type, String iso) {
        return new AccountEvent(type, t(iso), null, null, null, null, null, null, null, null);
    }

    public static AccountEvent failure(String type, String iso, String error, String message) {
        return new AccountEvent(type, t(iso), null, null, null, error, message, null, null, null);
    }

    /** A v3 grant.expired notification with grant_updated_at. */
    public static AccountEvent grantExpired(String iso, String grantUpdatedIso) {
        return new AccountEvent("grant.expired", t(iso), null, null, null, null, null, "n-1", null,
                t(grantUpdatedIso));
    }

    // ---- peers ---------------------------------------------------------------------------------

    public static Peer peer(String id, String email, String provider, ProviderFamily family, String state,
                            String linkedIso, AccountEvent... events) {
        return new Peer(id, email, provider, family, family == null ? null : family.defaultAuth(), state,
                t(linkedIso), Arrays.asList(events));
    }

    // ---- evidence and context ------------------------------------------------------------------

    public static EvidenceBuilder evidence(Account account) {
        return new EvidenceBuilder(account);
    }

    /** Builder for {@link Evidence}; a source is "supplied" once anything was added for it. */
    public static final class EvidenceBuilder {
        private final Account account;
        private final List<AccountEvent> events = new ArrayList<>();
        private final List<LogLine> sync = new ArrayList<>();
        private final List<LogLine> auth = new ArrayList<>();
        private final List<Peer> peers = new ArrayList<>();
        private final Set<EvidenceSource> supplied = EnumSet.of(EvidenceSource.ACCOUNT);
        private Instant now;

        private EvidenceBuilder(Account account) {
            this.account = account;
            if (account.provider() != null) {
                supplied.add(EvidenceSource.PROVIDER);
            }
        }

        public EvidenceBuilder events(AccountEvent... e) {
            events.addAll(Arrays.asList(e));
            supplied.add(EvidenceSource.WEBHOOKS);
            return this;
        }

        public EvidenceBuilder lines(LogLine... lines) {
            for (LogLine l : lines) {
                if (l.source() == EvidenceSource.AUTH_LOG) {
                    auth.add(l);
                    supplied.add(EvidenceSource.AUTH_LOG);
                } else {
                    sync.add(l);
                    supplied.add(EvidenceSource.SYNC_LOG);
                }
            }
            return this;
        }

        /** Marks the logs as supplied even when empty. */
        public EvidenceBuilder emptyLogs() {
            supplied.add(EvidenceSource.AUTH_LOG);
            supplied.add(EvidenceSource.SYNC_LOG);
            return this;
        }

        public EvidenceBuilder peers(Peer... p) {
            peers.addAll(Arrays.asList(p));
            supplied.add(EvidenceSource.PEERS);
            return this;
        }

        public EvidenceBuilder now(String iso) {
            now = t(iso);
            return this;
        }

        public Evidence build() {
            return new Evidence(account, events, List.of(), sync, auth, peers, now, supplied);
        }
    }

    /** Context with T and the default 30-day look-back, no fleet pattern. */
    public static CheckContext context(Evidence ev, String tIso) {
        return context(ev, tIso, null);
    }

    public static CheckContext context(Evidence ev, String tIso, FleetPattern pattern) {
        Instant t = t(tIso);
        return new CheckContext(ev, t, t.minus(Duration.ofDays(30)), pattern);
    }

    public static FleetPattern pattern(PatternKind kind, Cause cause, String domain, String... accountIds) {
        return new FleetPattern(kind, cause, domain, Arrays.asList(accountIds), null, List.<EvidenceItem>of());
    }
}
