package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.util.List;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The same contests against any store the CLI can open by location, e.g. the PostgreSQL store:
 * {@code mvn -pl rollout-cli -am verify -Dtest='ContendedCommands*' -Dprove.store=jdbc:postgresql://127.0.0.1:5432/rollouts}
 * (credentials from the environment variables the provider documents). Skipped when {@code prove.store} is not set.
 */
@EnabledIfSystemProperty(named = "prove.store", matches = ".+", disabledReason = "set -Dprove.store=LOCATION to run against a shared store")
class ContendedCommandsOnAStoreLocationTest extends ContendedCommandsTest {
    @Override
    String location() {
        return System.getProperty("prove.store");
    }

    @Override
    RolloutStore openStore() throws Exception {
        String location = location();
        var provider = StoreProvider.find(location);
        if (provider.isPresent()) return provider.get().open(location, System.getenv());
        assertThat(location).as("no store provider on the test class path takes %s", location).doesNotContain("://");
        return new io.stagedrollout.core.store.FileRolloutStore(java.nio.file.Path.of(location)); // a shared directory

    }

    @Override
    RolloutState assertConsistent() throws Exception {
        try (RolloutStore store = openStore()) {
            RolloutState s = store.read(KEY).orElseThrow();
            List<RolloutEvent> history = store.history(KEY);
            long expected = 1;
            for (RolloutEvent e : history) {
                assertThat(e.revision()).as("contiguous revisions: %s", history).isBetween(Math.max(1, expected - 1), expected);
                expected = e.revision() + 1;
            }
            assertThat(history.get(history.size() - 1).revision()).isEqualTo(s.revision());
            return s;
        }
    }
}
