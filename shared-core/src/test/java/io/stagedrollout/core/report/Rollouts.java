package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Real rollouts driven through the state machine with a fixed clock, so the journals are what the engine writes. */
final class Rollouts {
    static final Instant T0 = Instant.parse("2026-11-26T04:00:00Z");
    static final Actor CI = new Actor("ci-bot", "cli", "https://ci.example/job/42");
    static final Actor ALICE = new Actor("alice", "cli", null);

    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 2m, gates: [error-rate, latency-judge, new-check]}
              - {name: early-adopters, exposure: 25%, bake: 2m, gates: [error-rate], approval: manual}
              - {name: everyone, exposure: 100%, bake: 1m, gates: [error-rate]}
            gates:
              error-rate: {kind: metrics, endpoint: "http://127.0.0.1:9/metrics", errors: errors_total, total: requests_total,
                           max: 0.01, marginal: 0.002, interval: 30s, failureLimit: 1}
              latency-judge:
                kind: judge
                interval: 1m
                metrics:
                  - {name: p99-latency, source: {kind: file, path: samples.jsonl}, direction: increase, allowedIncrease: 1.1}
              new-check: {kind: http, url: "http://127.0.0.1:9/healthz", interval: 1m, dryRun: true}
            """;

    final List<RolloutEvent> journal = new ArrayList<>();
    RolloutState state;

    static RolloutPlan plan() {
        try {
            return PlanReader.parse(PLAN);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Rollouts apply(Command c, int secondsAfterStart) {
        Decision d = RolloutMachine.apply(state, c, T0.plusSeconds(secondsAfterStart));
        assertThat(d).as("%s", c).isInstanceOf(Decision.Applied.class);
        state = d.state();
        journal.addAll(((Decision.Applied) d).events());
        return this;
    }

    Rollouts measure(int ring, String gate, Outcome o, Double value, String summary, int at) {
        return measure(ring, gate, o, value, summary, at, Map.of());
    }

    Rollouts measure(int ring, String gate, Outcome o, Double value, String summary, int at, Map<String, Object> data) {
        return apply(new Command.Measured(ring, new Measurement(gate, T0.plusSeconds(at), o, value, summary, data), CI), at);
    }

    /** 2.0.0 with a higher error rate: caught in the canary, rolled back. */
    static Rollouts badVersion() {
        Rollouts r = new Rollouts();
        r.apply(new Command.Start(plan(), "2.0.0", "1.9.0", "r-bad", CI), 0)
                .apply(new Command.BeginRing(0, CI), 1)
                .apply(new Command.RingDeployed(0, true, "deployed", 5.0, CI), 10)
                .measure(0, "error-rate", Outcome.PASS, 0.004, "error ratio 0.004 <= max 0.01 (4 of 1000 requests)", 10)
                .measure(0, "new-check", Outcome.FAIL, null, "HTTP 503 from http://127.0.0.1:9/healthz <script>", 10)
                .measure(0, "latency-judge", Outcome.PASS, 100.0, "score 100 (1 of 1 metrics passed) >= pass 95. p99-latency PASS: "
                        + "canary median 0.21 vs baseline 0.2 (30 vs 30 values), p=0.31 | no significant shift", 10, Map.of("score", 100.0))
                .measure(0, "error-rate", Outcome.FAIL, 0.034, "error ratio 0.034 > max 0.01 (34 of 1000 requests)", 40)
                .measure(0, "error-rate", Outcome.FAIL, 0.041, "error ratio 0.041 > max 0.01 (41 of 1000 requests)", 70)
                .apply(new Command.RevertFinished(true, "reverted to 1.9.0", CI), 80);
        return r;
    }

    /** 2.1.0, healthy: every ring passes, a person promotes the manual ring, completed. */
    static Rollouts goodVersion() {
        Rollouts r = new Rollouts();
        r.apply(new Command.Start(plan(), "2.1.0", "1.9.0", "r-good", CI), 0)
                .apply(new Command.BeginRing(0, CI), 1)
                .apply(new Command.RingDeployed(0, true, "deployed", null, CI), 10);
        for (int i = 0; i < 5; i++) {
            int at = 10 + 30 * i;
            r.measure(0, "error-rate", Outcome.PASS, 0.003 + i * 0.0005, "error ratio ok", at);
            if (i % 2 == 0) {
                r.measure(0, "latency-judge", Outcome.PASS, 100.0, "score 100 (1 of 1 metrics passed) >= pass 95", at);
                r.measure(0, "new-check", Outcome.PASS, null, "HTTP 200", at);
            }
        }
        // the last due measurement at the end of the bake concludes the ring by itself
        r.apply(new Command.BeginRing(1, CI), 131)
                .apply(new Command.RingDeployed(1, true, "deployed", 24.0, CI), 140);
        for (int i = 0; i < 5; i++) {
            r.measure(1, "error-rate", i == 2 ? Outcome.ERROR : Outcome.PASS, i == 2 ? null : 0.004, i == 2 ? "cannot scrape" : "ok", 140 + 30 * i);
        }
        r.apply(new Command.Promote("early-adopters", false, "looks good", ALICE), 400)
                .apply(new Command.BeginRing(2, CI), 401)
                .apply(new Command.RingDeployed(2, true, "deployed", null, CI), 410);
        for (int i = 0; i < 3; i++) r.measure(2, "error-rate", Outcome.PASS, 0.005, "ok", 410 + 30 * i);
        return r;
    }

    /** 2.2.0 pushed through by a person: each ring promoted with force before its bake ended; completed. */
    static Rollouts forcedPromotes() {
        Rollouts r = new Rollouts();
        r.apply(new Command.Start(plan(), "2.2.0", "2.1.0", "r-forced", CI), 0)
                .apply(new Command.BeginRing(0, CI), 1)
                .apply(new Command.RingDeployed(0, true, "deployed", null, CI), 10)
                .measure(0, "error-rate", Outcome.PASS, 0.002, "error ratio 0.002 <= max 0.01 (2 of 1000 requests)", 10)
                .apply(new Command.Promote("canary", true, "hotfix INC-4711", ALICE), 40)
                .apply(new Command.BeginRing(1, CI), 41)
                .apply(new Command.RingDeployed(1, true, "deployed", null, CI), 50)
                .apply(new Command.Promote("early-adopters", true, "hotfix INC-4711", ALICE), 70)
                .apply(new Command.BeginRing(2, CI), 71)
                .apply(new Command.RingDeployed(2, true, "deployed", null, CI), 80)
                .apply(new Command.Promote("everyone", true, "hotfix INC-4711", ALICE), 100);
        return r;
    }

    /** 2.3.0 rolled back by a person while the canary was still baking. */
    static Rollouts rolledBackWhileBaking() {
        Rollouts r = new Rollouts();
        r.apply(new Command.Start(plan(), "2.3.0", "2.1.0", "r-stopped", CI), 0)
                .apply(new Command.BeginRing(0, CI), 1)
                .apply(new Command.RingDeployed(0, true, "deployed", null, CI), 10)
                .measure(0, "error-rate", Outcome.PASS, 0.002, "ok", 10)
                .apply(new Command.Rollback("pager", ALICE), 30)
                .apply(new Command.RevertFinished(true, "reverted", CI), 40);
        return r;
    }
}
