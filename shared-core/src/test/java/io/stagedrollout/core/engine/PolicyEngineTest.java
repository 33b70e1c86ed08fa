package io.stagedrollout.core.engine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.policy.Freeze;
import io.stagedrollout.core.report.MarkdownReport;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployment windows and dry-run gates through the engine: real file store, real command gates, a fake clock. */
class PolicyEngineTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final Instant FRI_1000_CET = Instant.parse("2026-11-27T09:00:00Z");
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(FRI_1000_CET);

    RolloutEngine engine() {
        var runtime = RolloutEngine.Runtime.system(dir);
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), runtime, clock, clock.sleeper(), EngineListener.NONE);
    }

    static final String WINDOWED = """
            service: checkout
            environment: production
            windows: [{name: office-hours, days: Mon-Thu, from: "09:00", to: "16:00", zone: Europe/Berlin}]
            rings:
              - {name: canary, exposure: 5%, bake: 1m, gates: [g]}
              - {name: everyone, exposure: 100%, bake: 1m, gates: [g]}
            gates:
              g: {kind: command, command: [sh, -c, 'exit 0'], interval: 30s}
            actions:
              deploy: {kind: command, command: ["true"]}
              revert: {kind: command, command: ["true"]}
            """;

    @Test
    void advanceOutsideTheWindowWaitsAndStatusNamesTheNextOpening() throws Exception {
        try (RolloutEngine e = engine()) {
            e.start(TestRollouts.plan(WINDOWED), "2.0.0", "1.0.0", ALICE);
            EngineResult r = e.advance(KEY, ALICE);
            assertThat(r.kind()).isEqualTo(EngineResult.Kind.NOT_YET);
            assertThat(r.message()).contains("office-hours").contains("2026-11-30T08:00:00Z");
            assertThat(r.state().status()).isEqualTo(Status.PENDING);
            JsonNode json = StatusJson.rollout(r.state(), clock.instant(), List.of());
            assertThat(json.at("/waitingFor/kind").asText()).isEqualTo("window");
            assertThat(json.at("/waitingFor/ring").asText()).isEqualTo("canary");
            assertThat(json.at("/waitingFor/window").asText()).contains("office-hours");
            assertThat(json.at("/waitingFor/opensAt").asText()).isEqualTo("2026-11-30T08:00:00Z");
            assertThat(e.history(KEY)).extracting(RolloutEvent::type).containsExactly(EventType.STARTED);
        }
    }

    @Test
    void runWaitsForTheWindowAndDeploysWhenItOpens() throws Exception {
        try (RolloutEngine e = engine()) {
            e.start(TestRollouts.plan(WINDOWED), "2.0.0", "1.0.0", ALICE);
            EngineResult r = e.run(KEY, false, ALICE);
            assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
            RolloutEvent first = e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.RING_DEPLOYING)).findFirst().orElseThrow();
            assertThat(first.at()).isEqualTo(Instant.parse("2026-11-30T08:00:00Z"));
        }
    }

    @Test
    void runStopsWaitingWhenTheFreezeHasNoKnownEnd() throws Exception {
        try (RolloutEngine e = engine()) {
            e.withHostFreezes(List.of(Freeze.fromGitLab(Map.of("CI_DEPLOY_FREEZE", "true")).orElseThrow()));
            e.start(TestRollouts.plan(WINDOWED), "2.0.0", "1.0.0", ALICE);
            EngineResult r = e.run(KEY, false, ALICE);
            assertThat(r.kind()).isEqualTo(EngineResult.Kind.NOT_YET);
            assertThat(r.message()).contains("CI_DEPLOY_FREEZE");
            assertThat(clock.instant()).isEqualTo(FRI_1000_CET);
        }
    }

    @Test
    void anOverriddenWindowIsInTheJournalWithItsReason() throws Exception {
        try (RolloutEngine e = engine()) {
            e.start(TestRollouts.plan(WINDOWED), "2.0.0", "1.0.0", ALICE);
            EngineResult r = e.advance(KEY, ALICE, "security fix CVE-2026-1234");
            assertThat(r.state().status()).isEqualTo(Status.PROMOTING);
            RolloutEvent o = e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.WINDOW_OVERRIDDEN)).findFirst().orElseThrow();
            assertThat(o.reason()).contains("security fix CVE-2026-1234");
            assertThat(o.evidence()).containsEntry("overrideReason", "security fix CVE-2026-1234").containsEntry("overrode", "window");
        }
    }

    @Test
    void aDryRunGateIsMeasuredReportedAndExplainedButNeverCounted() throws Exception {
        String plan = """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 1m, gates: [errors, new-latency]}
                  - {name: everyone, exposure: 100%, bake: 1m, gates: [errors, new-latency]}
                gates:
                  errors: {kind: command, command: [sh, -c, 'exit 0'], interval: 30s}
                  new-latency: {kind: command, command: [sh, -c, 'exit 1'], interval: 30s, dryRun: true}
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """;
        try (RolloutEngine e = engine()) {
            e.start(TestRollouts.plan(plan), "2.0.0", "1.0.0", ALICE);
            EngineResult canary = e.advance(KEY, ALICE);
            RolloutState s = canary.state();
            // not counted: the ring passed although the dry-run gate failed every measurement
            assertThat(s.status()).isEqualTo(Status.PROMOTING);
            assertThat(s.verdict().verdict()).isEqualTo(io.stagedrollout.core.gate.Verdict.PASS);
            assertThat(s.verdict().reason()).contains("errors passed").doesNotContain("new-latency");
            // measured: every measurement is in the journal, marked dry-run
            assertThat(e.history(KEY)).filteredOn(ev -> ev.type().equals(EventType.MEASURED) && "new-latency".equals(ev.evidence().get("gate")))
                    .hasSize(3).allSatisfy(ev -> assertThat(ev.evidence()).containsEntry("dryRun", true).containsEntry("outcome", "FAIL"));
            // reported: JSON status and the Markdown report show it as a dry run with its own verdict
            JsonNode json = StatusJson.rollout(s, clock.instant(), List.of());
            JsonNode gate = json.at("/verdict/gates/1");
            assertThat(gate.get("gate").asText()).isEqualTo("new-latency");
            assertThat(gate.get("dryRun").asBoolean()).isTrue();
            assertThat(gate.get("verdict").asText()).isEqualTo("FAIL");
            // explained: its own reason in numbers, and why it did not count
            assertThat(gate.get("reason").asText()).contains("new-latency failed 3 of 3 measurements");
            assertThat(gate.get("note").asText()).contains("not counted");
            assertThat(json.at("/verdict/verdict").asText()).isEqualTo("PASS");
            assertThat(json.at("/gates/1/dryRun").asBoolean()).isTrue();
            assertThat(MarkdownReport.render(s, e.history(KEY))).contains("new-latency").contains("dry run");
            assertThat(e.run(KEY, false, ALICE).state().status()).isEqualTo(Status.COMPLETED);
        }
    }
}
