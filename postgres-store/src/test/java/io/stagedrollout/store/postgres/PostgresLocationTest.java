package io.stagedrollout.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresLocationTest {
    private static final String URL = "jdbc:postgresql://db.example.com:5432/rollouts?sslmode=require";

    @Test
    void rolloutVariablesComeFirst() {
        PostgresLocation l = PostgresLocation.parse(URL, Map.of("ROLLOUT_DB_USER", "rollout", "ROLLOUT_DB_PASSWORD", "pw1",
                "PGUSER", "other", "PGPASSWORD", "pw2"));
        assertThat(l.user()).isEqualTo("rollout");
        assertThat(l.password()).isEqualTo("pw1");
        assertThat(l.properties()).containsEntry("user", "rollout").containsEntry("password", "pw1");
    }

    @Test
    void libpqVariablesAreTheFallback() {
        PostgresLocation l = PostgresLocation.parse(URL, Map.of("PGUSER", "other", "PGPASSWORD", "pw2"));
        assertThat(l.user()).isEqualTo("other");
        assertThat(l.password()).isEqualTo("pw2");
    }

    @Test
    void noCredentialsLeavesThemToTheDriver() {
        PostgresLocation l = PostgresLocation.parse(URL, Map.of());
        assertThat(l.properties()).doesNotContainKeys("user", "password");
    }

    @Test
    void passwordInTheUrlIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> PostgresLocation.parse("jdbc:postgresql://db/rollouts?user=a&Password=hunter2", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ROLLOUT_DB_PASSWORD")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void credentialsBeforeTheHostAreRefused() {
        assertThatThrownBy(() -> PostgresLocation.parse("jdbc:postgresql://a:hunter2@db/rollouts", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void describeAndToStringNeverShowThePassword() {
        PostgresLocation l = PostgresLocation.parse(URL, Map.of("ROLLOUT_DB_USER", "rollout", "ROLLOUT_DB_PASSWORD", "hunter2"));
        assertThat(l.describe()).isEqualTo("PostgreSQL store at db.example.com:5432/rollouts");
        assertThat(l.toString()).doesNotContain("hunter2");
    }

    @Test
    void onlyPostgresUrlsAreAccepted() {
        assertThat(PostgresLocation.accepts("jdbc:postgresql://db/x")).isTrue();
        assertThat(PostgresLocation.accepts("JDBC:PostgreSQL://db/x")).isTrue();
        assertThat(PostgresLocation.accepts("/var/lib/rollout")).isFalse();
        assertThat(PostgresLocation.accepts("jdbc:mysql://db/x")).isFalse();
    }
}
