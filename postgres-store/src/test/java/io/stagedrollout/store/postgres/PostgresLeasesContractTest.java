package io.stagedrollout.store.postgres;

import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.testing.RolloutLeasesContract;

/** The core's lease contract, on a real PostgreSQL server, each test in a fresh database. */
class PostgresLeasesContractTest extends RolloutLeasesContract {
    private String url;

    @Override
    protected RolloutStore newStore() throws Exception {
        url = EmbeddedPostgresFixture.newDatabase();
        return new PostgresStoreProvider().open(url, EmbeddedPostgresFixture.env());
    }

    @Override
    protected RolloutStore reopen() throws Exception {
        return new PostgresStoreProvider().open(url, EmbeddedPostgresFixture.env());
    }
}
