package io.stagedrollout.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.store.RolloutStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaMigrationsTest {
    private PostgresLocation location;

    @BeforeEach
    void database() {
        location = PostgresLocation.parse(EmbeddedPostgresFixture.newDatabase(), EmbeddedPostgresFixture.env());
    }

    private List<Integer> appliedVersions(PostgresRolloutStore store) throws Exception {
        List<Integer> out = new ArrayList<>();
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM rollout_schema_version ORDER BY version")) {
            while (rs.next()) out.add(rs.getInt(1));
        }
        return out;
    }

    @Test
    void openingCreatesTheTablesAtTheLatestVersion() throws Exception {
        PostgresRolloutStore store = PostgresRolloutStore.open(location);
        assertThat(appliedVersions(store)).containsExactly(1, 2);
        assertThat(store.list()).isEmpty();
    }

    @Test
    void openingAgainChangesNothing() throws Exception {
        PostgresRolloutStore.open(location);
        PostgresRolloutStore store = PostgresRolloutStore.open(location);
        try (Connection c = store.connect()) {
            assertThat(SchemaMigrations.migrate(c)).isEqualTo(SchemaMigrations.latest());
        }
        assertThat(appliedVersions(store)).containsExactly(1, 2);
    }

    @Test
    void manyProcessesOpeningAtOnceMigrateOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<PostgresRolloutStore>> opened = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                opened.add(pool.submit((Callable<PostgresRolloutStore>) () -> PostgresRolloutStore.open(location)));
            }
            for (Future<PostgresRolloutStore> f : opened) f.get();
            assertThat(appliedVersions(opened.get(0).get())).containsExactly(1, 2);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void newerSchemaThanThisBuildIsRefused() throws Exception {
        PostgresRolloutStore store = PostgresRolloutStore.open(location);
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO rollout_schema_version (version, script) VALUES (99, 'V99__future.sql')");
        }
        assertThatThrownBy(() -> PostgresRolloutStore.open(location))
                .isInstanceOf(RolloutStore.StoreException.class)
                .hasMessageContaining("version 99", "upgrade staged-rollout");
    }
}
