package io.jenkins.plugins.stagedrollout.logic;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.fixtures.MutableClock;
import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.RolloutStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store ships inside the plugin, so a {@code jdbc:postgresql:} store location works in Jenkins: the
 * plugin's class path (here: the default build's, with the same dependencies as the .hpi) has its provider.
 */
class PostgresStoreLocationTest {
    @TempDir
    Path home;

    @Test
    void aJdbcLocationIsAccepted() {
        assertThat(StoreLocation.problem("jdbc:postgresql://db.example:5432/rollouts?sslmode=require")).isEmpty();
        assertThat(StoreLocation.problem("jdbc:mysql://db/rollouts")).get().asString().contains("no store on this controller accepts 'jdbc:mysql'");
    }

    @Test
    void aRolloutIsKeptInARealPostgreSql() throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "off").start()) {
            String location = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres";
            try (RolloutStore store = StoreLocation.open(location, home, Map.of("ROLLOUT_DB_USER", "postgres"))) {
                MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
                RolloutService service = new RolloutService(store, new PlanEnvironment(home, HttpClient.newHttpClient(), clock),
                        clock, new PlanPolicy(false));
                service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2",
                        Plans.parse(Plans.threeRings("http://127.0.0.1:9/healthz")), true), TestRollouts.AS_ALICE);

                assertThat(store.describe()).startsWith("PostgreSQL store");
                assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
            }
        }
    }
}
