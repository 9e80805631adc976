package io.synctriage.store.internal;

/** The store on embedded H2 in file mode, as the distribution runs it. Always runs. */
public class H2EvidenceStoreTest extends EvidenceStoreContract {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2();
    }
}
