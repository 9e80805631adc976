package io.synctriage.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.ErrorLine;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceFeed;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
import io.synctriage.model.FleetIncidents;
import io.synctriage.model.Incident;
import io.synctriage.model.IncidentPage;
import io.synctriage.model.IncidentQuery;
import io.synctriage.model.IncidentStore;
import io.synctriage.model.StateChange;
import io.synctriage.model.StoreResult;
import io.synctriage.model.StoredAccount;

/**
 * The {@link EvidenceStore} service. It needs a {@link DataSource}: by default the one pax-jdbc-config
 * creates from {@code etc/org.ops4j.datasource-synctriage.cfg} (H2 file under {@code ${karaf.data}}, or
 * PostgreSQL), selected by {@code dataSource.target}. Until that data source exists the store is simply
 * not registered, and its consumers wait.
 *
 * <p>A configuration change re-creates the store (no {@code @Modified}): the writer drains what is queued,
 * and the new instance starts with the new settings; a new {@code dataSource.target} makes SCR rebind.
 *
 * <p>The same component also registers the fleet incidents ({@link IncidentStore}, and {@link FleetIncidents}
 * for readers) and the {@link EvidenceFeed}. One component rather than a second one sharing the data
 * source: the incident tables are created by the same Flyway run as the evidence tables, so with one
 * activation no service can appear before its schema exists (a second component would need its own
 * migration or an ordering on this one); the feed's positions are this store's writer thread's commit
 * order, which only this instance can vouch for; and one configuration change restarts evidence, feed
 * and incidents together, so the fleet tracker never reads one data source and saves into another.
 */
@Component(service = {EvidenceStore.class, IncidentStore.class, FleetIncidents.class, EvidenceFeed.class},
        configurationPid = "io.synctriage.store", configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = StoreConfiguration.class)
public final class EvidenceStoreComponent implements EvidenceStore, IncidentStore, EvidenceFeed {

    private final JdbcEvidenceStore store;

    @Activate
    public EvidenceStoreComponent(@Reference(name = "dataSource", target = "(osgi.jndi.service.name=synctriage)")
                                  DataSource dataSource, StoreConfiguration config) {
        this.store = new JdbcEvidenceStore(dataSource, StoreSettings.from(config), Clock.systemUTC(), true);
    }

    @Deactivate
    void deactivate() {
        store.close();
    }

    @Override
    public StoreResult store(List<EvidenceRecord> records) {
        return store.store(records);
    }

    @Override
    public Optional<StoredAccount> account(String idOrEmail) {
        return store.account(idOrEmail);
    }

    @Override
    public List<StoredAccount> accounts(AccountQuery query) {
        return store.accounts(query);
    }

    @Override
    public Optional<Evidence> evidence(String idOrEmail, Instant now) {
        return store.evidence(idOrEmail, now);
    }

    @Override
    public long purgeBefore(Instant cutoff) {
        return store.purgeBefore(cutoff);
    }

    @Override
    public void save(List<Incident> changed, Map<String, Long> cursors) {
        store.save(changed, cursors);
    }

    @Override
    public Map<String, Long> cursors() {
        return store.cursors();
    }

    @Override
    public List<Incident> active(Instant since) {
        return store.active(since);
    }

    @Override
    public long lastIncidentNumber() {
        return store.lastIncidentNumber();
    }

    @Override
    public IncidentPage incidents(IncidentQuery query) {
        return store.incidents(query);
    }

    @Override
    public Optional<Incident> incident(String id) {
        return store.incident(id);
    }

    @Override
    public List<Incident> incidentsOf(String accountId) {
        return store.incidentsOf(accountId);
    }

    @Override
    public List<StateChange> stateChangesAfter(long seq, int limit) {
        return store.stateChangesAfter(seq, limit);
    }

    @Override
    public List<ErrorLine> errorLinesAfter(long seq, int limit) {
        return store.errorLinesAfter(seq, limit);
    }

    @Override
    public long stateChangePositionBefore(Instant at) {
        return store.stateChangePositionBefore(at);
    }
}
