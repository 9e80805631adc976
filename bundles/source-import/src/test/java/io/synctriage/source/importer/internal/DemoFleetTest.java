package io.synctriage.source.importer.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.BeforeClass;
import org.junit.Test;

import io.synctriage.engine.internal.BoundCheck;
import io.synctriage.engine.internal.EngineSettings;
import io.synctriage.engine.internal.EvidenceNormalizer;
import io.synctriage.engine.internal.TriageEngine;
import io.synctriage.model.Account;
import io.synctriage.model.AccountEvent;
import io.synctriage.model.ApiCall;
import io.synctriage.model.Diagnosis;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceSource;
import io.synctriage.model.LogLine;
import io.synctriage.model.Peer;
import io.synctriage.model.ProviderFamily;
import io.synctriage.provider.eas.internal.EasCheck;
import io.synctriage.provider.google.internal.GoogleCheck;
import io.synctriage.provider.imap.internal.ImapCheck;
import io.synctriage.provider.microsoft.internal.MicrosoftCheck;

/**
 * The demo fleet: the committed file is what the generator makes, it loads completely through the
 * import path, and the real engine with the real provider checks gives every failing account the cause
 * the generator expects. Regenerate the committed files with
 * {@code mvn -pl bundles/source-import test -Dtest=DemoFleetTest -Ddemo.regenerate=true}.
 */
public class DemoFleetTest {

    static final Path RESOURCE = Path.of("src/main/resources/io/synctriage/source/importer/internal",
            DemoFleetLoader.RESOURCE);
    static final Path EXPECTATIONS = Path.of("../../itests/src/test/resources/demo-expectations.json");
    static final Instant LOAD_AT = Instant.parse("2026-07-01T08:30:00Z");

    private static DemoFleetGenerator fleet;

    @BeforeClass
    public static void generate() throws IOException {
        fleet = DemoFleetGenerator.generate();
        if (Boolean.getBoolean("demo.regenerate")) {
            Files.writeString(RESOURCE, fleet.ndjson(), UTF_8);
            Files.writeString(EXPECTATIONS, fleet.expectationsJson(), UTF_8);
        }
    }

    @Test
    public void committedFilesAreWhatTheGeneratorMakes() throws IOException {
        String hint = " is stale: regenerate with mvn -pl bundles/source-import test -Dtest=DemoFleetTest -Ddemo.regenerate=true";
        assertEquals(RESOURCE + hint, fleet.ndjson(), Files.readString(RESOURCE, UTF_8));
        assertEquals(EXPECTATIONS + hint, fleet.expectationsJson(), Files.readString(EXPECTATIONS, UTF_8));
        assertTrue("the demo file stays small: " + Files.size(RESOURCE), Files.size(RESOURCE) < 2L * 1024 * 1024);
    }

    @Test
    public void fleetCoversProvidersDomainsAndCauses() {
        List<DemoFleetGenerator.Expectation> all = fleet.expectations();
        assertTrue("a few hundred accounts: " + all.size(), all.size() >= 250 && all.size() <= 500);
        Set<String> domains = all.stream().map(e -> e.email().substring(e.email().indexOf('@') + 1)).collect(Collectors.toSet());
        assertTrue("about 30 domains: " + domains.size(), domains.size() >= 25 && domains.size() <= 35);
        Set<String> providers = all.stream().map(DemoFleetGenerator.Expectation::provider).collect(Collectors.toSet());
        assertTrue(providers.toString(), providers.containsAll(Set.of("office365", "microsoft", "gmail", "google",
                "imap", "yahoo", "icloud", "eas")));
        assertTrue("v3 grants present", all.stream().anyMatch(e -> e.apiVersion() == 3 && e.cause() != null));
        Set<String> causes = all.stream().map(DemoFleetGenerator.Expectation::cause).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        assertTrue(causes.toString(), causes.containsAll(Set.of("APP_REVOKED_TOKENS", "APP_STOPPED_ACCOUNT",
                "ADMIN_DISCONNECTED", "DOMAIN_SESSION_POLICY", "CA_SIGNIN_FREQUENCY", "OAUTH_CLIENT_CREDENTIALS_INVALID",
                "GOOGLE_APP_TESTING_MODE", "IMAP_UIDVALIDITY_LOOP", "EAS_LOW_INBOX_COUNT", "EAS_DEVICE_BLOCKED",
                "PASSWORD_CHANGED", "APP_PASSWORD_REQUIRED", "REFRESH_TOKEN_INACTIVE")));
        assertTrue("healthy accounts", all.stream().filter(e -> e.cause() == null).count() > all.size() / 2);
        assertEquals("unique ids", all.size(), all.stream().map(DemoFleetGenerator.Expectation::id).distinct().count());
        assertEquals("unique emails", all.size(),
                all.stream().map(e -> e.email().toLowerCase(Locale.ROOT)).distinct().count());
    }

    private static FakeStore load(FakeStore store, boolean enabled) {
        Importer importer = new Importer(new EvidenceNormalizer(Clock.systemUTC()), store,
                new Importer.Settings(1 << 26, 1 << 20, 1000, 2, 1000, enabled));
        new DemoFleetLoader(importer, enabled, Clock.fixed(LOAD_AT, ZoneOffset.UTC), false);
        return store;
    }

    @Test
    public void loadsCompletelyShiftedToEndAnHourBeforeTheLoad() {
        FakeStore store = new FakeStore();
        Importer importer = new Importer(new EvidenceNormalizer(Clock.systemUTC()), store, new Importer.Settings(1 << 26, 1 << 20, 1000, 2, 1000, true));
        ImportReport report = new DemoFleetLoader(importer, false, Clock.fixed(LOAD_AT, ZoneOffset.UTC), false)
                .loadIfEmpty();
        assertEquals(report.rejected().toString(), 0, report.rejectedCount());
        assertEquals(fleet.records().size(), report.accepted());
        assertEquals(fleet.expectations().size(), store.accounts.size());
        Instant latest = store.records.stream().map(DemoFleetTest::time).filter(Objects::nonNull).max(Comparator.naturalOrder())
                .orElseThrow();
        assertEquals(LOAD_AT.minus(DemoFleetLoader.LEAD), latest);
        assertTrue("batched", store.callSizes.size() > 1);

        assertNull("a store with accounts is left alone", new DemoFleetLoader(importer, true,
                Clock.fixed(LOAD_AT, ZoneOffset.UTC), false).loadIfEmpty());
        FakeStore untouched = load(new FakeStore(), false);
        assertTrue("demo.enabled = false loads nothing", untouched.records.isEmpty());
    }

    /**
     * Builds what the store's {@code evidence(id, now)} holds for each account (its own records; as peers
     * the accounts of its domain and the accounts of its family that failed within 2 h of its failure) and
     * diagnoses it with the real engine and provider checks. All mismatches are reported together.
     */
    @Test
    public void realEngineGivesEveryFailingAccountItsExpectedCause() {
        FakeStore store = load(new FakeStore(), true);
        TriageEngine engine = new TriageEngine(EngineSettings.defaults());
        Map<ProviderFamily, BoundCheck> checks = new EnumMap<>(ProviderFamily.class);
        checks.put(ProviderFamily.MICROSOFT, new BoundCheck(new MicrosoftCheck(), "io.synctriage.provider.microsoft", "test"));
        checks.put(ProviderFamily.GOOGLE, new BoundCheck(new GoogleCheck(), "io.synctriage.provider.google", "test"));
        checks.put(ProviderFamily.IMAP, new BoundCheck(new ImapCheck(), "io.synctriage.provider.imap", "test"));
        checks.put(ProviderFamily.EAS, new BoundCheck(new EasCheck(), "io.synctriage.provider.eas", "test"));
        ModelStore model = new ModelStore(store);
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (DemoFleetGenerator.Expectation e : fleet.expectations()) {
            if (e.cause() == null) {
                continue;
            }
            checked++;
            Diagnosis d = engine.diagnose(model.evidence(e.id(), LOAD_AT), checks::get);
            if (!e.cause().equals(d.cause().name()) || !e.actor().equals(String.valueOf(d.actor()))) {
                failures.add(e.email() + " (" + e.provider() + ", " + e.scenario() + "): expected " + e.cause() + "/"
                        + e.actor() + ", got " + d.cause() + "/" + d.actor() + " — " + d.summary());
            }
        }
        assertTrue("failing accounts checked: " + checked, checked >= 40);
        assertTrue(failures.size() + " of " + checked + " demo accounts diagnosed otherwise:\n"
                + String.join("\n", failures), failures.isEmpty());
    }

    private static Instant time(EvidenceRecord r) {
        if (r instanceof EvidenceRecord.Notification n) {
            return n.event().timestamp();
        }
        if (r instanceof EvidenceRecord.ApiLogEntry a) {
            return a.call().timestamp();
        }
        if (r instanceof EvidenceRecord.LogEntry l) {
            return l.line().timestamp();
        }
        Account a = ((EvidenceRecord.AccountSnapshot) r).account();
        return a.linkedAt() != null ? a.linkedAt() : a.createdAt();
    }

    /** The evidence a store gives for one account, built from the fake store's records. */
    private static final class ModelStore {
        private final FakeStore store;

        ModelStore(FakeStore store) {
            this.store = store;
        }

        private static boolean concerns(String recordId, String recordEmail, Account a) {
            if (recordId != null) {
                return recordId.equals(a.id());
            }
            return recordEmail != null && a.email() != null && recordEmail.equalsIgnoreCase(a.email());
        }

        private List<AccountEvent> events(Account a) {
            return store.all(EvidenceRecord.Notification.class).stream().map(EvidenceRecord.Notification::event)
                    .filter(ev -> concerns(ev.accountId(), ev.email(), a))
                    .sorted(Comparator.comparing(AccountEvent::timestamp)).toList();
        }

        private static Instant failureTime(List<AccountEvent> events, Instant now) {
            return events.stream().filter(AccountEvent::isFailure).map(AccountEvent::timestamp)
                    .max(Comparator.naturalOrder()).orElse(now);
        }

        private static String domain(Account a) {
            return a.email() == null ? "" : a.email().substring(a.email().indexOf('@') + 1).toLowerCase(Locale.ROOT);
        }

        Evidence evidence(String id, Instant now) {
            Account account = store.accounts.get(id).account();
            List<AccountEvent> events = events(account);
            Instant t = failureTime(events, now);
            List<ApiCall> api = store.all(EvidenceRecord.ApiLogEntry.class).stream().map(EvidenceRecord.ApiLogEntry::call)
                    .filter(c -> concerns(c.accountId(), c.email(), account)).toList();
            List<LogLine> logs = store.all(EvidenceRecord.LogEntry.class).stream().map(EvidenceRecord.LogEntry::line)
                    .filter(l -> concerns(l.accountId(), l.email(), account)).toList();
            List<LogLine> sync = logs.stream().filter(l -> l.source() == EvidenceSource.SYNC_LOG).toList();
            List<LogLine> auth = logs.stream().filter(l -> l.source() == EvidenceSource.AUTH_LOG).toList();
            List<Peer> peers = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (var stored : store.accounts.values()) {
                Account p = stored.account();
                if (p.id().equals(account.id())) {
                    continue;
                }
                List<AccountEvent> pe = events(p);
                boolean sameDomain = domain(p).equals(domain(account));
                boolean familyAround = p.family() == account.family() && pe.stream().anyMatch(ev -> ev.isFailure()
                        && Duration.between(ev.timestamp(), t).abs().compareTo(Duration.ofHours(2)) <= 0);
                if ((sameDomain || familyAround) && seen.add(p.id())) {
                    peers.add(new Peer(p.id(), p.email(), p.provider(), p.family(), p.authType(), p.state(),
                            p.linkedAt() != null ? p.linkedAt() : p.createdAt(), pe));
                }
            }
            Set<EvidenceSource> supplied = EnumSet.of(EvidenceSource.ACCOUNT, EvidenceSource.PEERS);
            if (!events.isEmpty()) {
                supplied.add(EvidenceSource.WEBHOOKS);
            }
            if (!api.isEmpty()) {
                supplied.add(EvidenceSource.API_LOG);
            }
            if (!sync.isEmpty()) {
                supplied.add(EvidenceSource.SYNC_LOG);
            }
            if (!auth.isEmpty()) {
                supplied.add(EvidenceSource.AUTH_LOG);
            }
            if (account.provider() != null) {
                supplied.add(EvidenceSource.PROVIDER);
            }
            return new Evidence(account, events, api, sync, auth, peers, now, supplied);
        }
    }
}
