package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.testing.LocalHttpServer;
import io.stagedrollout.core.testing.LocalHttpServer.Answer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract, through the real JAR: commands, exit codes, the JSON output, state on disk. */
class RolloutCliTest {
    @TempDir
    Path dir;
    LocalHttpServer service;
    final AtomicInteger health = new AtomicInteger(200);
    Cli cli;

    @BeforeEach
    void setUp() throws Exception {
        service = new LocalHttpServer().on("/healthz", () -> new Answer(health.get(), "{}", 0));
        cli = new Cli(dir, Map.of("LOG", dir.resolve("actions.log").toString(), "USER", "tester"));
    }

    @AfterEach
    void tearDown() {
        service.close();
    }

    String plan(String bake, String approval) {
        return """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: BAKE, gates: [smoke]}
                  - {name: early-adopters, exposure: 25%, bake: BAKE, gates: [smoke], approval: APPROVAL}
                  - {name: everyone, exposure: 100%, bake: BAKE, gates: [smoke]}
                gates:
                  smoke: {kind: http, url: "URL", interval: 1s, timeout: 2s}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_RING $ROLLOUT_PERCENT $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                  revert: {kind: command, command: [sh, -c, 'echo "revert to $ROLLOUT_VERSION" >> "$LOG"'], passEnv: [LOG]}
                """.replace("BAKE", bake).replace("APPROVAL", approval).replace("URL", service.url("/healthz"));
    }

    List<String> log() throws Exception {
        Path f = dir.resolve("actions.log");
        return Files.exists(f) ? Files.readAllLines(f) : List.of();
    }

    @Test
    void runCompletesAGoodVersionWithExitZero() throws Exception {
        cli.file("rollout.yaml", plan("1s", "auto"));
        Cli.Result r = cli.run("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("COMPLETED: rollout of 2.0.0 completed");
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "deploy early-adopters 25 2.0.0", "deploy everyone 100 2.0.0");
    }

    @Test
    void runRollsBackABadVersionWithExitThreeAndSaysWhy() throws Exception {
        cli.file("rollout.yaml", plan("1s", "auto"));
        health.set(503);
        Cli.Result r = cli.run("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0");
        assertThat(r.exit()).as(r.toString()).isEqualTo(3);
        assertThat(r.out() + r.err()).contains("rolled back to 1.0.0").contains("answered 503, expected [200]");
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "revert to 1.0.0");
    }

    @Test
    void aVersionThatWasRolledBackIsNotRedeployedByARerunWithoutRetry() throws Exception {
        cli.file("rollout.yaml", plan("1s", "auto"));
        health.set(503);
        assertThat(cli.run("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0").exit()).isEqualTo(3);
        Cli.Result again = cli.run("run", "rollout.yaml", "--version", "2.0.0");
        assertThat(again.exit()).as(again.toString()).isEqualTo(3);
        assertThat(again.err()).contains("2.0.0 was already rolled back");
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "revert to 1.0.0");
        health.set(200);
        assertThat(cli.run("run", "rollout.yaml", "--version", "2.0.0", "--retry").exit()).isZero();
        assertThat(log()).hasSize(5);
    }

    @Test
    void aMalformedPlanExitsTwoNamingEveryProblemAndWritesNothing() throws Exception {
        cli.file("bad.yaml", """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 150%, bake: soon, gates: [nope]}
                """);
        Cli.Result r = cli.run("start", "bad.yaml", "--version", "2.0.0", "--output", "json");
        assertThat(r.exit()).isEqualTo(2);
        JsonNode j = r.json();
        assertThat(j.get("result").asText()).isEqualTo("invalid");
        assertThat(j.get("problems").findValuesAsText("path"))
                .containsExactly("rings[0].exposure", "rings[0].bake", "rings[0].gates[0]");
        assertThat(r.err()).doesNotContain("Exception");
        assertThat(dir.resolve(".rollout")).doesNotExist();
    }

    @Test
    void ciSizedStepsDriveTheRolloutRingByRingWithMeaningfulExitCodes() throws Exception {
        cli.file("rollout.yaml", plan("1s", "manual"));
        assertThat(cli.run("start", "rollout.yaml", "--version", "2.0.0").exit()).isZero();
        Cli.Result canary = cli.run("advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(canary.exit()).as(canary.toString()).isZero();
        assertThat(canary.json().at("/rollout/status").asText()).isEqualTo("PROMOTING");
        Cli.Result early = cli.run("advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(early.exit()).as(early.toString()).isEqualTo(4);
        assertThat(early.json().get("result").asText()).isEqualTo("waiting");
        assertThat(early.json().at("/rollout/hold").asText()).isEqualTo("approval");
        assertThat(cli.run("status", "--rollout", "checkout/production", "--wait", "--succeed-on-pause").exit()).isZero();
        assertThat(cli.run("status", "--rollout", "checkout/production", "--wait").exit()).isEqualTo(4);
        assertThat(cli.run("promote", "--rollout", "checkout/production", "--ring", "canary").exit())
                .as("promoting a ring already promoted is done already").isZero();
        assertThat(cli.run("promote", "--rollout", "checkout/production", "--ring", "everyone").exit())
                .as("the expected ring is not the current one").isEqualTo(5);
        assertThat(cli.run("promote", "--rollout", "checkout/production", "--ring", "early-adopters").exit()).isZero();
        Cli.Result last = cli.run("advance", "--rollout", "checkout/production", "--output", "json");
        assertThat(last.exit()).isZero();
        JsonNode rollout = last.json().get("rollout");
        assertThat(rollout.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(rollout.get("lastGoodVersion").asText()).isEqualTo("2.0.0");
        assertThat(rollout.get("rings").findValuesAsText("state")).containsExactly("done", "done", "done");
        assertThat(rollout.at("/verdict/gates/0/gate").asText()).isEqualTo("smoke");
    }

    @Test
    void twoConcurrentPromotesOfTheSameRingAdvanceTheRolloutOnce() throws Exception {
        cli.file("rollout.yaml", plan("1s", "manual"));
        cli.run("start", "rollout.yaml", "--version", "2.0.0");
        cli.run("advance", "--rollout", "checkout/production");
        assertThat(cli.run("advance", "--rollout", "checkout/production").exit()).isEqualTo(4);
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < 4; i++) ps.add(cli.start("promote", "--rollout", "checkout/production", "--ring", "early-adopters", "--output", "json"));
        List<String> results = new ArrayList<>();
        for (Process p : ps) {
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            results.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(out).get("result").asText());
        }
        assertThat(results).containsOnlyOnce("applied").contains("already-done");
        Cli.Result h = cli.run("history", "--rollout", "checkout/production", "--output", "json");
        assertThat(h.json().get("events").findValuesAsText("type").stream().filter("PROMOTED"::equals).count())
                .as("canary promoted automatically, early-adopters by exactly one person").isEqualTo(2);
    }

    @Test
    void aRunKilledMidBakeResumesWhenRunAgain() throws Exception {
        cli.file("rollout.yaml", plan("4s", "auto"));
        Process p = cli.start("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0");
        Path state = dir.resolve(".rollout/checkout/production/state.json");
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline
                && !(Files.exists(state) && Files.readString(state).contains("\"status\":\"BAKING\"") && Files.readString(state).contains("\"measurements\":1"))) {
            Thread.sleep(50);
        }
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        assertThat(Files.readString(state)).contains("\"status\":\"BAKING\"");
        Cli.Result again = cli.run("run", "rollout.yaml", "--version", "2.0.0");
        assertThat(again.exit()).as(again.toString()).isZero();
        assertThat(again.out()).contains("resuming the rollout of 2.0.0");
        assertThat(log()).containsExactly("deploy canary 5 2.0.0", "deploy early-adopters 25 2.0.0", "deploy everyone 100 2.0.0");
    }

    @Test
    void startingAnotherVersionWhileOneIsActiveIsAConflict() throws Exception {
        cli.file("rollout.yaml", plan("1s", "auto"));
        cli.run("start", "rollout.yaml", "--version", "2.0.0");
        Cli.Result r = cli.run("start", "rollout.yaml", "--version", "3.0.0");
        assertThat(r.exit()).isEqualTo(5);
        assertThat(r.err()).contains("another rollout is active for checkout/production: 2.0.0");
        assertThat(cli.run("start", "rollout.yaml", "--version", "2.0.0").exit()).as("the same version attaches").isZero();
    }

    @Test
    void globalOptionsWorkBeforeOrAfterTheSubcommand() throws Exception {
        cli.file("rollout.yaml", plan("1s", "auto"));
        assertThat(cli.run("--state-dir", "elsewhere", "start", "rollout.yaml", "--version", "2.0.0").exit()).isZero();
        Cli.Result after = cli.run("status", "--rollout", "checkout/production", "--state-dir", "elsewhere", "--output", "json");
        assertThat(after.json().at("/rollout/version").asText()).isEqualTo("2.0.0");
        Cli.Result before = cli.run("--output", "json", "--state-dir", "elsewhere", "list");
        assertThat(before.json().get("rollouts")).hasSize(1);
        assertThat(dir.resolve("elsewhere/checkout/production/state.json")).exists();
    }

    @Test
    void badKeysAndUnknownRolloutsAreInvalidInput() throws Exception {
        assertThat(cli.run("status", "--rollout", "../../etc/passwd").exit()).isEqualTo(2);
        assertThat(cli.run("status", "--rollout", "nope/prod").exit()).isEqualTo(2);
        Cli.Result r = cli.run("promote", "--output", "json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.json().get("message").asText()).contains("--rollout");
    }

    @Test
    void aCompletedRolloutRollsBackToThePreviousGoodVersion() throws Exception {
        cli.file("rollout.yaml", plan("0s", "auto"));
        assertThat(cli.run("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0").exit()).isZero();
        Cli.Result r = cli.run("rollback", "--rollout", "checkout/production", "--reason", "pager went off", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.json().at("/rollout/status").asText()).isEqualTo("ROLLED_BACK");
        assertThat(log()).last().isEqualTo("revert to 1.0.0");
        assertThat(cli.run("history", "--rollout", "checkout/production").out()).contains("tester/cli").contains("pager went off");
    }

    @Test
    void reportsComeFromARealRolloutsJournal() throws Exception {
        cli.file("rollout.yaml", plan("0s", "auto"));
        health.set(503);
        assertThat(cli.run("run", "rollout.yaml", "--version", "2.0.0", "--stable-version", "1.0.0").exit()).isEqualTo(3);
        Cli.Result junit = cli.run("report", "--rollout", "checkout/production", "--format", "junit");
        assertThat(junit.exit()).as(junit.toString()).isZero();
        assertThat(junit.out()).contains("<testsuite").contains("name=\"smoke\"").contains("<failure");
        Cli.Result md = cli.run("report", "--rollout", "checkout/production", "--format", "markdown");
        assertThat(md.out()).contains("| canary").contains("ROLLED_BACK");
        assertThat(cli.run("report", "--rollout", "checkout/production", "--format", "html", "--out", "r.html").exit()).isZero();
        assertThat(Files.readString(dir.resolve("r.html"))).contains("<svg").contains("default-src 'none'")
                .doesNotContain("src=\"http", "href=\"http", "<script");
        assertThat(cli.run("report", "--rollout", "checkout/production", "--format", "pdf").exit()).isEqualTo(2);
    }

    @Test
    void versionsWithShellMetacharactersReachActionsOnlyAsData() throws Exception {
        cli.file("rollout.yaml", plan("0s", "auto"));
        String evil = "2.0;touch pwned;$(touch pwned2)";
        Cli.Result r = cli.run("run", "rollout.yaml", "--version", evil);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(dir.resolve("pwned")).doesNotExist();
        assertThat(dir.resolve("pwned2")).doesNotExist();
        assertThat(log()).first().isEqualTo("deploy canary 5 " + evil);
    }

    @Test
    void planPrintsTheExpandedSchedule() throws Exception {
        cli.file("p.yaml", "service: api\nenvironment: prod\nstrategy: percentage\nsteps: [5, 25, 50, 100]\nbake: 10m\n");
        Cli.Result r = cli.run("plan", "p.yaml");
        assertThat(r.exit()).isZero();
        assertThat(Stream.of("5pct", "25pct", "50pct", "100pct")).allSatisfy(n -> assertThat(r.out()).contains(n));
        assertThat(cli.run("plan", "p.yaml", "--output", "json").json().at("/plan/rings/3/exposure/percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void planWarnsWhenABakeIsTooShortForAGateToEverFail() throws Exception {
        cli.file("p.yaml", """
                service: api
                environment: prod
                rings:
                  - {name: canary, exposure: 5%, bake: 4s, gates: [error-rate]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  error-rate: {kind: metrics, endpoint: "http://127.0.0.1:9/metrics", errors: e, total: t, max: 0.01, failureLimit: 1}
                """);
        Cli.Result r = cli.run("plan", "p.yaml");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("warning: ring canary: gate error-rate is measured at most 1 time in a 4s bake",
                "failureLimit 1 needs 2 failed measurements: it can never fail; bake at least 35s");
        assertThat(cli.run("plan", "p.yaml", "--output", "json").json().at("/warnings/0").asText()).contains("can never fail");
    }

    @Test
    void theDemoCompletesAGoodVersionAndRollsBackABadOne() throws Exception {
        Cli.Result r = cli.run("demo", "--state-dir", "demo-state");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("COMPLETED: rollout of 1.1.0 completed")
                .contains("AWAITING_APPROVAL").contains("a release engineer approves")
                .contains("ROLLED_BACK: rolled back to 1.1.0").contains("error-rate failed");
    }
}
