package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands from an old notice or an old pipeline name the rollout they were meant for ({@code --rollout-id},
 * {@code --expect-version}); once the key has moved on to a newer rollout they are refused with exit 5, naming both,
 * and change nothing. Through the real JAR.
 */
class RolloutIdBindingTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 0s, approval: manual}
              - {name: everyone, exposure: 100%, bake: 0s}
            actions:
              deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_RING $ROLLOUT_VERSION" >> actions.log']}
              revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> actions.log']}
            """;
    @TempDir
    Path dir;
    String oldId;
    RolloutState newer;

    @BeforeEach
    void anOldRolloutWasAbortedAndANewerOneWaitsForItsPerson() throws Exception {
        Files.writeString(dir.resolve("plan.yaml"), PLAN);
        oldId = json(Cli.run(dir, "start", "plan.yaml", "--version", "2.0.0", "--stable-version", "1.0.0", "--output", "json"))
                .at("/rollout/id").asText();
        assertThat(Cli.run(dir, "abort", "--rollout", "checkout/production", "--rollout-id", oldId).exit()).isZero();
        Cli.run(dir, "start", "plan.yaml", "--version", "2.1.0", "--output", "json");
        Cli.Result waiting = Cli.run(dir, "advance", "--rollout", "checkout/production");
        assertThat(waiting.exit()).as(waiting.all()).isEqualTo(4);
        newer = read();
    }

    RolloutState read() throws Exception {
        try (var store = new FileRolloutStore(dir.resolve(".rollout"))) {
            return store.read(KEY).orElseThrow();
        }
    }

    static JsonNode json(Cli.Result r) throws Exception {
        return new ObjectMapper().readTree(r.stdout());
    }

    void assertRefusedAndNothingChanged(Cli.Result r) throws Exception {
        assertThat(r.exit()).as(r.all()).isEqualTo(5);
        assertThat(r.all()).contains(oldId).contains("2.0.0").contains(newer.id()).contains("2.1.0");
        assertThat(read().revision()).isEqualTo(newer.revision());
        assertThat(Files.readAllLines(dir.resolve("actions.log"))).containsExactly("deploy canary 2.1.0");
    }

    @Test
    void aPromoteCopiedFromTheOldRolloutsNoticeIsRefused() throws Exception {
        assertRefusedAndNothingChanged(Cli.run(dir, "promote", "--rollout", "checkout/production", "--rollout-id", oldId,
                "--ring", "canary"));
    }

    @Test
    void aRollbackFromTheOldPipelineIsRefusedAndRunsNoRevert() throws Exception {
        assertRefusedAndNothingChanged(Cli.run(dir, "rollback", "--rollout", "checkout/production", "--rollout-id", oldId,
                "--reason", "old job retried"));
    }

    @Test
    void anAbortAdvanceOrStatusAimedAtTheOldRolloutIsRefused() throws Exception {
        assertRefusedAndNothingChanged(Cli.run(dir, "abort", "--rollout", "checkout/production", "--expect-version", "2.0.0"));
        assertRefusedAndNothingChanged(Cli.run(dir, "advance", "--rollout", "checkout/production", "--rollout-id", oldId));
        assertRefusedAndNothingChanged(Cli.run(dir, "status", "--rollout", "checkout/production", "--rollout-id", oldId));
        assertRefusedAndNothingChanged(Cli.run(dir, "status", "--rollout", "checkout/production", "--rollout-id", oldId,
                "--wait", "--timeout", "10s"));
    }

    @Test
    void theIdBoundFormActsOnItsOwnRollout() throws Exception {
        Cli.Result r = Cli.run(dir, "promote", "--rollout", "checkout/production", "--rollout-id", newer.id(),
                "--expect-version", "2.1.0", "--ring", "canary");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(read().status().name()).isEqualTo("PROMOTING");
    }

    @Test
    void everyPrintedHintIsTheIdBoundForm() throws Exception {
        Cli.Result text = Cli.run(dir, "status", "--rollout", "checkout/production");
        assertThat(text.stdout()).contains("promote: rollout promote --rollout checkout/production --rollout-id "
                + newer.id() + " --ring canary");
        JsonNode commands = json(Cli.run(dir, "status", "--rollout", "checkout/production", "--output", "json"))
                .at("/rollout/commands");
        assertThat(commands.get("promote").asText()).contains("--rollout-id " + newer.id());
        assertThat(commands.get("rollback").asText()).contains("--rollout-id " + newer.id());
    }

    @Test
    void aMalformedRolloutIdIsInvalidInput() throws Exception {
        Cli.Result r = Cli.run(dir, "promote", "--rollout", "checkout/production", "--rollout-id", "r 1; rm -rf /");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("--rollout-id");
        assertThat(read().revision()).isEqualTo(newer.revision());
    }
}
