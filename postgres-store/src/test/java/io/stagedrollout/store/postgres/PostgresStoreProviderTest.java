package io.stagedrollout.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StoreProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresStoreProviderTest {
    @Test
    void jdbcPostgresLocationsFindThisProvider() {
        assertThat(StoreProvider.find("jdbc:postgresql://db.example.com/rollouts")).get().isInstanceOf(PostgresStoreProvider.class);
    }

    @Test
    void directoriesAreLeftToTheFileStore() {
        assertThat(StoreProvider.find("/var/lib/rollout")).isEmpty();
        assertThat(StoreProvider.find(".rollout")).isEmpty();
    }

    @Test
    void openedStoreSharesStateWithAnotherOpening() throws Exception {
        String url = EmbeddedPostgresFixture.newDatabase();
        StoreProvider provider = StoreProvider.find(url).orElseThrow();
        RolloutKey key = new RolloutKey("checkout", "production");
        try (RolloutStore a = provider.open(url, EmbeddedPostgresFixture.env());
                RolloutStore b = provider.open(url, EmbeddedPostgresFixture.env())) {
            a.commit(key, 0, Rollouts.state("checkout", "production", 1, Status.PENDING), List.of());
            assertThat(b.read(key)).get().extracting(s -> s.revision()).isEqualTo(1L);
        }
    }

    @Test
    void passwordInTheLocationIsAStoreErrorNamingTheVariable() {
        assertThatThrownBy(() -> new PostgresStoreProvider().open("jdbc:postgresql://db/rollouts?password=hunter2", Map.of()))
                .isInstanceOf(RolloutStore.StoreException.class)
                .hasMessageContaining("ROLLOUT_DB_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }
}
