package io.stagedrollout.store.postgres;

import static io.stagedrollout.store.postgres.Rollouts.event;
import static io.stagedrollout.store.postgres.Rollouts.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutStore.ConflictException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What is specific to PostgreSQL; the shared behaviour is in {@link PostgresRolloutStoreContractTest}. */
class PostgresRolloutStoreTest {
    private static final RolloutKey KEY = new RolloutKey("checkout", "production");
    private String url;
    private PostgresRolloutStore store;

    @BeforeEach
    void open() throws Exception {
        url = EmbeddedPostgresFixture.newDatabase();
        store = PostgresRolloutStore.open(PostgresLocation.parse(url, EmbeddedPostgresFixture.env()));
    }

    @Test
    void stateRoundTripsThroughJson() throws Exception {
        RolloutState s = state("checkout", "production", 1, Status.PENDING);
        store.commit(KEY, 0, s, List.of(event("STARTED", "go")));
        assertThat(store.read(KEY)).contains(s);
    }

    @Test
    void revisionAndQueryableColumnsAreWritten() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        store.commit(KEY, 1, state("checkout", "production", 2, Status.BAKING), List.of(event("RING_DEPLOYED", "ok")));
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT revision, status, version, state->>'status' FROM rollout_state")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(2);
            assertThat(rs.getString(2)).isEqualTo("BAKING");
            assertThat(rs.getString(3)).isEqualTo("2.0.0");
            assertThat(rs.getString(4)).isEqualTo("BAKING");
            assertThat(rs.next()).isFalse();
        }
    }

    @Test
    void staleUpdateIsAConflictAndWritesNothing() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "a")));
        store.commit(KEY, 1, state("checkout", "production", 2, Status.DEPLOYING), List.of(event("RING_DEPLOYING", "b")));
        assertThatThrownBy(() -> store.commit(KEY, 1, state("checkout", "production", 2, Status.ABORTED), List.of(event("ABORTED", "late"))))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.actualRevision()).isEqualTo(2));
        assertThat(store.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
        assertThat(store.history(KEY)).extracting(RolloutEvent::reason).containsExactly("a", "b");
    }

    @Test
    void secondFirstCommitIsAConflict() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        assertThatThrownBy(() -> store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of()))
                .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.actualRevision()).isEqualTo(1));
    }

    @Test
    void eventsAreStampedWithTheCommittedRevision() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "a")));
        store.commit(KEY, 1, state("checkout", "production", 2, Status.DEPLOYING), List.of(event("X", "b"), event("Y", "c")));
        assertThat(store.history(KEY)).extracting(RolloutEvent::revision).containsExactly(1L, 2L, 2L);
    }

    @Test
    void historyIsPerKey() throws Exception {
        RolloutKey other = new RolloutKey("checkout", "staging");
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "prod")));
        store.commit(other, 0, state("checkout", "staging", 1, Status.PENDING), List.of(event("STARTED", "staging")));
        assertThat(store.history(KEY)).extracting(RolloutEvent::reason).containsExactly("prod");
        assertThat(store.history(other)).extracting(RolloutEvent::reason).containsExactly("staging");
    }

    @Test
    void listIsInKeyByteOrderLikeTheFileStore() throws Exception {
        for (String service : List.of("b", "a-b", "a", "A0".toLowerCase())) {
            store.commit(new RolloutKey(service, "prod"), 0, state(service, "prod", 1, Status.PENDING), List.of());
        }
        assertThat(store.list()).extracting(RolloutState::service).containsExactly("a", "a-b", "a0", "b");
    }

    private void sql(String statement) throws Exception {
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private static void assertOneLineNamingTheField(Throwable e, String field) {
        assertThat(e).isInstanceOf(RolloutStore.StoreException.class).hasMessageContaining("checkout/production")
                .hasMessageContaining(field);
        assertThat(e.getMessage()).doesNotContain("Exception", "java.", "io.stagedrollout", "\n");
    }

    @Test
    void aRowWithAHandEditedStateIsRefusedNamingTheFieldAndNothingIsCommitted() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "a")));
        for (String[] edit : List.of(
                new String[] {"jsonb_set(state::jsonb, '{version}', 'null')::json", "field version: is missing"},
                new String[] {"jsonb_set(state::jsonb, '{ringIndex}', '7')::json", "field ringIndex: is 7"},
                new String[] {"jsonb_set(state::jsonb, '{status}', '\"EXPLODED\"')::json", "field status: 'EXPLODED' is not one of"},
                new String[] {"jsonb_set(state::jsonb, '{revision}', '-3')::json", "field revision: is -3"},
                new String[] {"'[1,2]'::json", "it is not a JSON object"})) {
            sql("UPDATE rollout_state SET state = " + edit[0]);
            Throwable read = org.assertj.core.api.Assertions.catchThrowable(() -> store.read(KEY));
            assertOneLineNamingTheField(read, edit[1]);
            assertOneLineNamingTheField(org.assertj.core.api.Assertions.catchThrowable(store::list), edit[1]);
            sql("TRUNCATE rollout_state");
            store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        }
    }

    @Test
    void aRowWhoseRevisionColumnDisagreesWithItsStateIsRefused() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        sql("UPDATE rollout_state SET revision = 5");
        assertOneLineNamingTheField(org.assertj.core.api.Assertions.catchThrowable(() -> store.read(KEY)),
                "field revision: the state says 1 but the row's revision column says 5");
    }

    @Test
    void aHandEditedEventRowIsRefusedNamingItsSequenceAndField() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "a")));
        sql("UPDATE rollout_event SET event = jsonb_set(event::jsonb, '{at}', '\"yesterday\"')::json");
        Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> store.history(KEY));
        assertOneLineNamingTheField(e, "field at: 'yesterday' is not a valid time");
        assertThat(e).hasMessageContaining("table rollout_event, seq ");
    }

    @Test
    void checkNamesEveryInvalidRowAndChangesNothing() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of(event("STARTED", "a")));
        RolloutKey other = new RolloutKey("payments", "production");
        store.commit(other, 0, state("payments", "production", 1, Status.PENDING), List.of(event("STARTED", "b")));
        assertThat(store.check(null)).hasSize(2).allSatisfy(h -> assertThat(h.healthy()).isTrue());
        sql("UPDATE rollout_state SET state = jsonb_set(state::jsonb, '{ringIndex}', '9')::json WHERE service = 'payments'");
        var health = store.check(null);
        assertThat(health.get(0).healthy()).isTrue();
        assertThat(health.get(1).findings()).singleElement().satisfies(f -> {
            assertThat(f.problem()).contains("field ringIndex: is 9");
            assertThat(f.remedy()).startsWith("not repaired");
        });
    }

    @Test
    void revisionThatDoesNotFollowIsRefused() {
        assertThatThrownBy(() -> store.commit(KEY, 0, state("checkout", "production", 3, Status.PENDING), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void describeNamesTheServerWithoutParameters() throws Exception {
        RolloutStore s = PostgresRolloutStore.open(PostgresLocation.parse(url + "?ApplicationName=x&sslmode=disable",
                java.util.Map.of("ROLLOUT_DB_USER", "postgres", "ROLLOUT_DB_PASSWORD", "hunter2")));
        assertThat(s.describe()).isEqualTo("PostgreSQL store at " + url.substring("jdbc:postgresql://".length()))
                .doesNotContain("hunter2", "postgres@", "sslmode");
    }

    @Test
    void unreachableServerIsAStoreErrorNamingIt() {
        assertThatThrownBy(() -> PostgresRolloutStore.open(PostgresLocation.parse(
                "jdbc:postgresql://127.0.0.1:1/rollouts?connectTimeout=2", java.util.Map.of("ROLLOUT_DB_PASSWORD", "hunter2"))))
                .isInstanceOf(RolloutStore.StoreException.class)
                .hasMessageContaining("127.0.0.1:1/rollouts")
                .hasMessageNotContaining("hunter2");
    }

    private long connectionsFromThisStore() throws Exception {
        try (Connection c = store.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                        + " AND application_name = 'staged-rollout' AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void idleConnectionKilledByTheServerIsReplaced() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        try (Connection admin = store.connect(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database()"
                    + " AND pid <> pg_backend_pid()");
        }
        Thread.sleep(700); // past the window in which a returned connection is trusted unchecked
        assertThat(store.read(KEY)).isPresent();
    }

    @Test
    void closeClosesIdleConnections() throws Exception {
        store.commit(KEY, 0, state("checkout", "production", 1, Status.PENDING), List.of());
        assertThat(connectionsFromThisStore()).isEqualTo(1);
        store.close();
        Thread.sleep(200); // the server notices the goodbye asynchronously
        assertThat(connectionsFromThisStore()).isZero();
    }
}
