package io.stagedrollout.store.postgres;

import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.testing.RolloutStoreContract;

/** The core's store contract, on a real PostgreSQL server, each test in a fresh database. */
class PostgresRolloutStoreContractTest extends RolloutStoreContract {
    private String url;

    @Override
    protected RolloutStore newStore() throws Exception {
        url = EmbeddedPostgresFixture.newDatabase();
        return new PostgresStoreProvider().open(url, EmbeddedPostgresFixture.env());
    }

    /** Child JVMs get the user name in the URL (allowed; only a password there is refused). */
    @Override
    protected String processLocation() {
        return url + "?user=postgres";
    }
}
