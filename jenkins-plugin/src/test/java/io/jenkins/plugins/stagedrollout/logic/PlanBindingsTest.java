package io.jenkins.plugins.stagedrollout.logic;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.ALICE;
import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a plan can read on the controller: only the values bound for the call. The controller's environment (PATH,
 * HOME, JAVA_HOME, whatever secrets the Jenkins process was started with) never reaches a gate, action or notification.
 */
class PlanBindingsTest {
    @TempDir
    Path dir;

    TestRollouts t;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestRollouts(dir);
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    /** The canary's smoke gate sends the token named by {@code tokenEnv}. */
    RolloutService.StageRequest stageWithToken(String tokenEnv) {
        String plan = t.planText().replace("    expectStatus: 200\n", "    expectStatus: 200\n    tokenEnv: " + tokenEnv + "\n");
        return RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(plan), true);
    }

    void deployAndMeasure(RolloutService.StageRequest stage, Caller caller) throws Exception {
        t.service.enterStage(stage, caller);
        String id = TestRollouts.idOf(t.service);
        t.service.deployed(KEY, id, 0, true, "deployed", caller);
        t.service.tick(KEY, id, 0, RolloutService.DeployInFlight.NOBODY, caller);
    }

    @Test
    void tokenEnvPathDeliversNothing() throws Exception {
        assertThat(System.getenv("PATH")).isNotEmpty(); // the controller has one

        deployAndMeasure(stageWithToken("PATH"), TestRollouts.AS_ALICE);

        assertThat(t.health.hits()).isZero(); // no request at all: nothing to authenticate with
        assertThat(t.health.authorizations()).isEmpty();
        assertThat(t.service.read(KEY).orElseThrow().gates().get(0).last().summary())
                .contains("the environment variable PATH holding the token is not set");
    }

    @Test
    void aBoundCredentialIsWhatTheGateSends() throws Exception {
        Caller bound = new Caller(ALICE, EngineListener.NONE, Map.of("PROM_TOKEN", "s3cret-from-jenkins"));

        deployAndMeasure(stageWithToken("PROM_TOKEN"), bound);

        assertThat(t.health.authorizations()).containsOnly("Bearer s3cret-from-jenkins");
    }

    @Test
    void theBoundValueIsNeitherJournaledNorStored() throws Exception {
        Caller bound = new Caller(ALICE, EngineListener.NONE, Map.of("PROM_TOKEN", "s3cret-from-jenkins"));

        deployAndMeasure(stageWithToken("PROM_TOKEN"), bound);

        assertThat(t.service.history(KEY).toString()).doesNotContain("s3cret");
        assertThat(t.service.read(KEY).orElseThrow().toString()).doesNotContain("s3cret");
        assertThat(bound.toString()).contains("PROM_TOKEN").doesNotContain("s3cret");
    }

    @Test
    void aNotificationToAnUnboundUrlEnvIsJournaledAsFailedAndSendsNothing() throws Exception {
        assertThat(System.getenv("HOME")).isNotEmpty();
        String plan = t.planText() + "notify:\n  chat: {kind: webhook, urlEnv: HOME, on: [started], retries: 0}\n";

        t.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(plan), true), TestRollouts.AS_ALICE);

        RolloutEvent failed = awaitEvent("NOTIFY_FAILED");
        assertThat(failed.reason()).contains("the environment variable HOME is not set");
        assertThat(t.service.read(KEY).orElseThrow().status()).isEqualTo(Status.DEPLOYING);
    }

    @Test
    void aJudgeReadingSamplesFromAControllerFileIsRefused() throws Exception {
        String plan = """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 100%, bake: 1m, gates: [compare]}
                gates:
                  compare:
                    kind: judge
                    interval: 20s
                    metrics:
                      - name: latency
                        source: {kind: file, path: /var/jenkins_home/secrets/master.key}
                """;

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> t.service.enterStage(
                        RolloutService.StageRequest.of(KEY, "canary", "v2", Plans.parse(plan), true), TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("gates.compare.metrics[0].source: kind 'file' would read a file on the Jenkins controller");
        assertThat(t.service.read(KEY)).isEmpty();
    }

    RolloutEvent awaitEvent(String type) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            for (RolloutEvent e : t.service.history(KEY)) {
                if (e.type().equals(type)) return e;
            }
            Thread.onSpinWait();
            Thread.sleep(20); // polling a condition with a deadline, not standing in for synchronisation
        }
        throw new AssertionError("no " + type + " event within 60s: " + t.service.history(KEY));
    }
}
