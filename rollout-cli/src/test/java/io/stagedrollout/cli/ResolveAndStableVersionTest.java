package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real JAR: the stable version on a key's first rollouts (a completed version becomes stable; one rolled
 * back after it completed does not), and a FAILED rollout blocks the next start until `rollout resolve`.
 */
class ResolveAndStableVersionTest {
    @TempDir
    Path dir;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(dir, Map.of("LOG", dir.resolve("actions.log").toString(), "USER", "tester"));
    }

    String plan(String revert) {
        return """
                service: checkout
                environment: production
                rings:
                  - {name: everyone, exposure: 100%, bake: 0s}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_VERSION stable=$ROLLOUT_STABLE_VERSION" >> "$LOG"'], passEnv: [LOG]}
                  revert: {kind: command, command: [sh, -c, 'REVERT'], passEnv: [LOG]}
                """.replace("REVERT", revert);
    }

    @Test
    void aCompletedFirstRolloutBecomesTheStableVersionOfTheNext() throws Exception {
        cli.file("plan.yaml", plan("echo \"revert to $ROLLOUT_VERSION\" >> \"$LOG\""));
        Cli.Result first = cli.run("start", "plan.yaml", "--version", "1.0.0");
        assertThat(first.err()).contains("warning: no stable version is known");
        assertThat(cli.run("advance", "--rollout", "checkout/production").exit()).isZero();
        assertThat(cli.run("status", "--rollout", "checkout/production").out()).contains("COMPLETED   stable: 1.0.0");

        assertThat(cli.run("run", "plan.yaml", "--version", "1.1.0").exit()).isZero();

        assertThat(Files.readAllLines(dir.resolve("actions.log"))).containsExactly("deploy 1.0.0 stable=", "deploy 1.1.0 stable=1.0.0");
    }

    @Test
    void theStableVersionIsTheLastCompletedOneThatWasNotRolledBackAfterwards() throws Exception {
        cli.file("plan.yaml", plan("echo \"revert to $ROLLOUT_VERSION\" >> \"$LOG\""));
        assertThat(cli.run("run", "plan.yaml", "--version", "1.1.0", "--stable-version", "1.0.0").exit()).isZero();
        assertThat(cli.run("run", "plan.yaml", "--version", "1.2.0").exit()).isZero();
        assertThat(cli.run("rollback", "--rollout", "checkout/production", "--reason", "regression found late").exit()).isZero();

        Cli.Result next = cli.run("start", "plan.yaml", "--version", "1.3.0", "--output", "json");

        assertThat(next.json().at("/rollout/stableVersion").asText()).isEqualTo("1.1.0");
    }

    @Test
    void aFailedRolloutBlocksTheNextStartUntilAPersonResolvesIt() throws Exception {
        cli.file("plan.yaml", plan("exit 1"));
        assertThat(cli.run("start", "plan.yaml", "--version", "2.0.0", "--stable-version", "1.0.0").exit()).isZero();
        Cli.Result rollback = cli.run("rollback", "--rollout", "checkout/production", "--reason", "bad", "--output", "json");
        assertThat(rollback.json().at("/rollout/status").asText()).isEqualTo("FAILED");
        String id = rollback.json().at("/rollout/id").asText();

        Cli.Result blocked = cli.run("start", "plan.yaml", "--version", "2.0.1");
        assertThat(blocked.exit()).as(blocked.toString()).isEqualTo(5);
        assertThat(blocked.err()).contains("FAILED").contains("rollout resolve --rollout checkout/production --rollout-id " + id);

        Cli.Result bad = cli.run("resolve", "--rollout", "checkout/production", "--reverted", "--accept", "--reason", "x");
        assertThat(bad.exit()).isEqualTo(2);
        Cli.Result resolved = cli.run("resolve", "--rollout", "checkout/production", "--rollout-id", id, "--reverted",
                "--reason", "reverted the load balancer by hand");
        assertThat(resolved.exit()).as(resolved.toString()).isZero();
        assertThat(cli.run("history", "--rollout", "checkout/production").out()).contains("RESOLVED")
                .contains("reverted the load balancer by hand");
        Cli.Result next = cli.run("start", "plan.yaml", "--version", "2.0.1", "--output", "json");
        assertThat(next.exit()).as(next.toString()).isZero();
        assertThat(next.json().at("/rollout/stableVersion").asText()).isEqualTo("1.0.0");
    }
}
