package io.stagedrollout.cli.proof;

import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.util.Map;

/** The driver scenarios on the PostgreSQL store: leases in their own table, fenced commits in the commit's transaction. */
class DriverScenariosOnPostgresTest extends DriverScenarios {
    private static final String URL = EmbeddedPostgresServer.newDatabase();

    @Override
    String location() {
        return URL;
    }

    @Override
    Map<String, String> storeEnv() {
        return EmbeddedPostgresServer.env();
    }

    @Override
    RolloutStore openStore() throws Exception {
        return StoreProvider.find(URL).orElseThrow().open(URL, EmbeddedPostgresServer.env());
    }
}
