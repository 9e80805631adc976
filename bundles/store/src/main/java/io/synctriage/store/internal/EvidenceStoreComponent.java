package io.synctriage.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import io.synctriage.model.AccountQuery;
import io.synctriage.model.Evidence;
import io.synctriage.model.EvidenceRecord;
import io.synctriage.model.EvidenceStore;
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
 */
@Component(service = EvidenceStore.class, configurationPid = "io.synctriage.store",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = StoreConfiguration.class)
public final class EvidenceStoreComponent implements EvidenceStore {

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
}
