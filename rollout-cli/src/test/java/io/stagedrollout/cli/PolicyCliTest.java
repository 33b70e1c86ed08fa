package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windows, freezes, overrides and replay through the real JAR: exit codes and the JSON contract. */
class PolicyCliTest {
    @TempDir
    Path dir;

    static final String RINGS = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 0s}
              - {name: everyone, exposure: 100%, bake: 0s}
            actions:
              deploy: {kind: command, command: ["true"]}
              revert: {kind: command, command: ["true"]}
            """;

    /** A window on a weekday three days from now (UTC), so it is closed whenever the test runs. */
    static String closedWindow() {
        DayOfWeek day = LocalDate.now(ZoneOffset.UTC).plusDays(3).getDayOfWeek();
        return "windows: [{name: later, days: " + day.getDisplayName(TextStyle.SHORT, Locale.ENGLISH)
                + ", from: \"00:00\", to: \"23:59\", zone: UTC}]\n";
    }

    Cli cli(Map<String, String> env) {
        return new Cli(dir, env);
    }

    @Test
    void advanceOutsideTheWindowExitsWaitingAndNamesTheNextOpening() throws Exception {
        Cli cli = cli(Map.of("USER", "tester"));
        cli.file("plan.yaml", RINGS + closedWindow());
        assertThat(cli.run("start", "plan.yaml", "--version", "2.0.0").exit()).isZero();
        Cli.Result r = cli.run("advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(4);
        JsonNode j = r.json();
        assertThat(j.get("result").asText()).isEqualTo("waiting");
        assertThat(j.get("message").asText()).contains("outside the deployment window later");
        String opens = LocalDate.now(ZoneOffset.UTC).plusDays(3).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        assertThat(j.at("/rollout/waitingFor/opensAt").asText()).isEqualTo(opens);
        assertThat(j.at("/rollout/waitingFor/ring").asText()).isEqualTo("canary");
        assertThat(j.at("/rollout/status").asText()).isEqualTo("PENDING");
        Cli.Result status = cli.run("status", "--rollout", "checkout/production", "--output", "json");
        assertThat(status.json().at("/rollout/waitingFor/window").asText()).contains("later");
        Cli.Result waited = cli.run("status", "--rollout", "checkout/production", "--wait", "--output", "json");
        assertThat(waited.exit()).as(waited.toString()).isEqualTo(4);
        assertThat(waited.json().get("result").asText()).isEqualTo("waiting");
    }

    @Test
    void anOverrideNeedsAReasonAndIsInTheHistory() throws Exception {
        Cli cli = cli(Map.of("USER", "tester"));
        cli.file("plan.yaml", RINGS + closedWindow());
        cli.run("start", "plan.yaml", "--version", "2.0.0");
        assertThat(cli.run("advance", "--rollout", "checkout/production", "--override-window").exit()).isEqualTo(2);
        Cli.Result r = cli.run("advance", "--rollout", "checkout/production", "--override-window", "--reason", "INC-42 hotfix");
        assertThat(r.exit()).as(r.toString()).isZero();
        Cli.Result h = cli.run("history", "--rollout", "checkout/production", "--output", "json");
        assertThat(h.out()).contains("WINDOW_OVERRIDDEN").contains("INC-42 hotfix").contains("tester");
    }

    @Test
    void aPlanFreezeAndGitLabsDeployFreezeBothHoldTheRing() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Cli frozen = cli(Map.of("USER", "tester"));
        frozen.file("plan.yaml", RINGS + "freezes: [{from: \"" + now.minus(1, ChronoUnit.HOURS) + "\", to: \""
                + now.plus(1, ChronoUnit.DAYS) + "\", reason: release train}]\n");
        frozen.run("start", "plan.yaml", "--version", "2.0.0");
        Cli.Result r = frozen.run("advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.json().at("/rollout/waitingFor/freeze").asText()).isEqualTo("release train");
        assertThat(r.json().at("/rollout/waitingFor/opensAt").asText()).isEqualTo(now.plus(1, ChronoUnit.DAYS).toString());

        Cli gitlab = cli(Map.of("USER", "tester", "CI_DEPLOY_FREEZE", "true"));
        gitlab.file("plan.yaml", RINGS);
        gitlab.run("--state-dir", "other", "start", "plan.yaml", "--version", "2.0.0");
        Cli.Result g = gitlab.run("--state-dir", "other", "advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(g.exit()).as(g.toString()).isEqualTo(4);
        assertThat(g.json().at("/rollout/waitingFor/freeze").asText()).contains("CI_DEPLOY_FREEZE");
        assertThat(g.json().at("/rollout/waitingFor/opensAt").isNull()).isTrue();
    }

    @Test
    void replayPrintsTheDecisionsAsJsonAndTouchesNoStore() throws Exception {
        Cli cli = cli(Map.of("USER", "tester"));
        cli.file("plan.yaml", """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 5m, gates: [error-rate]}
                  - {name: everyone, exposure: 100%, bake: 5m, gates: [error-rate]}
                gates:
                  error-rate: {kind: metrics, endpoint: "http://127.0.0.1:9/metrics", errors: e, total: t, max: 0.01, interval: 1m}
                """);
        StringBuilder sb = new StringBuilder();
        for (int m = 0; m <= 10; m++) {
            sb.append("{\"time\": \"2026-11-20T14:").append(String.format("%02d", m)).append(":00Z\", \"gate\": \"error-rate\", \"value\": ")
                    .append(m < 7 ? "0.001" : "0.05").append("}\n");
        }
        cli.file("metrics.jsonl", sb.toString());
        Cli.Result r = cli.run("replay", "plan.yaml", "--metrics", "metrics.jsonl", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode replay = r.json().get("replay");
        assertThat(replay.get("status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(replay.get("decisions")).anySatisfy(d -> {
            assertThat(d.get("type").asText()).isEqualTo("RING_FAILED");
            assertThat(d.get("ring").asText()).isEqualTo("everyone");
            assertThat(d.get("at").asText()).isEqualTo("2026-11-20T14:07:00Z");
        });
        assertThat(dir.resolve(".rollout")).doesNotExist();
        Cli.Result bad = cli.run("replay", "plan.yaml", "--metrics", cli.file("bad.jsonl", "{\"gate\": \"error-rate\"}\n").toString(), "--output", "json");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.json().at("/problems/0/path").asText()).isEqualTo("line 1.time");
    }
}
