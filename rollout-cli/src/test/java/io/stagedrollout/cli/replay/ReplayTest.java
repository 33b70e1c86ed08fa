package io.stagedrollout.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A plan replayed over recorded measurements decides what, and when, the live rollout would have. */
class ReplayTest {
    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate, latency]}
              - {name: half, exposure: 50%, bake: 10m, gates: [error-rate]}
              - {name: everyone, exposure: 100%, bake: 10m, gates: [error-rate]}
            gates:
              error-rate: {kind: metrics, endpoint: "http://127.0.0.1:9/metrics", errors: e, total: t, max: 0.01, interval: 1m, failureLimit: 1}
              latency: {kind: http, url: "http://127.0.0.1:9/healthz", interval: 2m, dryRun: true}
            """;
    static final Instant T = Instant.parse("2026-11-20T14:00:00Z");
    @TempDir
    Path dir;

    /** The incident of 2026-11-20: the error rate was 0.2% until 14:15, then 3% (the bad version reached 50%). */
    Path incident() throws Exception {
        StringBuilder sb = new StringBuilder("# error-rate every minute; latency probe outcomes\n");
        for (int minute = 0; minute <= 40; minute++) {
            double v = minute < 15 ? 0.002 : 0.03;
            sb.append("{\"time\": \"").append(T.plus(Duration.ofMinutes(minute))).append("\", \"gate\": \"error-rate\", \"value\": ")
                    .append(v).append("}\n");
            sb.append("{\"time\": \"").append(T.plus(Duration.ofMinutes(minute))).append("\", \"metric\": \"latency\", \"outcome\": \"FAIL\"}\n");
        }
        return Files.writeString(dir.resolve("incident.jsonl"), sb);
    }

    Replay.Result replay(String plan, Path metrics) throws Exception {
        RolloutPlan p = PlanReader.parse(plan);
        List<Problem> problems = new ArrayList<>();
        Recording r = Recording.read(metrics, p, problems);
        assertThat(problems).isEmpty();
        return Replay.run(p, r, r.first(), Duration.ZERO);
    }

    static Instant at(Replay.Result r, String type, String ring) {
        return r.events().stream().filter(e -> e.type().equals(type) && ring.equals(e.ring())).map(RolloutEvent::at)
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " for " + ring + " in " + r.events()));
    }

    @Test
    void theRecordedIncidentIsCaughtInTheSecondRingAtTheSecondBadMinute() throws Exception {
        Replay.Result r = replay(PLAN, incident());
        assertThat(at(r, EventType.RING_DEPLOYING, "canary")).isEqualTo(T);
        assertThat(at(r, EventType.RING_PASSED, "canary")).isEqualTo(T.plus(Duration.ofMinutes(10)));
        assertThat(at(r, EventType.RING_DEPLOYING, "half")).isEqualTo(T.plus(Duration.ofMinutes(10)));
        // 14:15 is the first failed measurement (within failureLimit 1), 14:16 the second: the ring fails then
        assertThat(at(r, EventType.RING_FAILED, "half")).isEqualTo(T.plus(Duration.ofMinutes(16)));
        assertThat(at(r, EventType.ROLLBACK_STARTED, "half")).isEqualTo(T.plus(Duration.ofMinutes(16)));
        assertThat(r.state().status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(r.events()).noneMatch(e -> "everyone".equals(e.ring()));
        // the dry-run latency gate failed every time in the canary, and did not count
        assertThat(r.events()).filteredOn(e -> e.type().equals(EventType.MEASURED) && "latency".equals(e.evidence().get("gate")))
                .isNotEmpty().allSatisfy(e -> assertThat(e.evidence()).containsEntry("outcome", "FAIL").containsEntry("dryRun", true));
    }

    @Test
    void withoutTheIncidentTheSamePlanCompletes() throws Exception {
        Path good = Files.writeString(dir.resolve("good.jsonl"), Files.readString(incident()).replace("0.03", "0.004"));
        Replay.Result r = replay(PLAN, good);
        assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
        assertThat(at(r, EventType.COMPLETED, "everyone")).isEqualTo(T.plus(Duration.ofMinutes(30)));
    }

    @Test
    void whenTheRecordingRunsOutTheGateHasNoDataAndNeverPasses() throws Exception {
        Path shortRecording = Files.writeString(dir.resolve("short.jsonl"),
                "{\"time\": \"2026-11-20T14:00:00Z\", \"gate\": \"error-rate\", \"value\": 0.001}\n");
        Replay.Result r = replay(PLAN.replace("failureLimit: 1", "failureLimit: 1, inconclusiveLimit: 2"), shortRecording);
        assertThat(r.state().status()).isEqualTo(Status.AWAITING_APPROVAL);
        assertThat(r.ending()).contains("held (inconclusive)");
        // 14:00 passed; 14:01, 14:02 and 14:03 have no sample: the third exceeds inconclusiveLimit 2
        assertThat(at(r, EventType.RING_INCONCLUSIVE, "canary")).isEqualTo(T.plus(Duration.ofMinutes(3)));
    }

    @Test
    void aBadLineIsReportedWithItsNumberAndNothingIsReplayed() throws Exception {
        RolloutPlan p = PlanReader.parse(PLAN);
        Path bad = Files.writeString(dir.resolve("bad.jsonl"), """
                {"time": "2026-11-20T14:00:00Z", "gate": "error-rate", "value": 0.001}
                {"time": "yesterday", "gate": "error-rate", "value": 0.001}
                {"time": "2026-11-20T14:01:00Z", "gate": "latency", "value": 120}
                {"time": "2026-11-20T14:01:00Z", "gate": "nope", "value": 1}
                """);
        List<Problem> problems = new ArrayList<>();
        assertThat(Recording.read(bad, p, problems)).isNull();
        assertThat(problems).extracting(Problem::path).containsExactly("line 2.time", "line 3.value", "line 4.gate");
        assertThat(problems.get(1).message()).contains("record an outcome");
    }
}
