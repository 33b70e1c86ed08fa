package io.stagedrollout.store.postgres;

import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.util.Map;

/**
 * Opens the PostgreSQL store for locations {@code jdbc:postgresql://…} ({@code --store}, the {@code ROLLOUT_STORE}
 * setting, Jenkins' global configuration). Credentials come from {@code env} only.
 */
public final class PostgresStoreProvider implements StoreProvider {
    @Override
    public boolean accepts(String location) {
        return PostgresLocation.accepts(location);
    }

    @Override
    public RolloutStore open(String location, Map<String, String> env) throws RolloutStore.StoreException {
        PostgresLocation where;
        try {
            where = PostgresLocation.parse(location, env);
        } catch (IllegalArgumentException e) {
            throw new RolloutStore.InvalidLocationException(e.getMessage());
        }
        return PostgresRolloutStore.open(where);
    }
}
