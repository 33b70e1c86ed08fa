package io.stagedrollout.core.store;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Opens a {@link RolloutStore} from one setting, a location string: a directory for the file store
 * ({@code /var/lib/rollout}, {@code file:/var/lib/rollout}) or a URL a provider on the class path accepts
 * ({@code jdbc:postgresql://db/rollouts}). Providers register through
 * {@code META-INF/services/io.stagedrollout.core.store.StoreProvider}; credentials come from {@code env}.
 */
public interface StoreProvider {
    boolean accepts(String location);

    RolloutStore open(String location, Map<String, String> env) throws RolloutStore.StoreException;

    /** The provider for {@code location}, or empty when none accepts it (then it is a file-store directory). */
    static Optional<StoreProvider> find(String location) {
        for (StoreProvider p : ServiceLoader.load(StoreProvider.class, StoreProvider.class.getClassLoader())) {
            if (p.accepts(location)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
