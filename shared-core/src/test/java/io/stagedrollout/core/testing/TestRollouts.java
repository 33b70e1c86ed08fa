package io.stagedrollout.core.testing;

import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Instant;

/** Plans and states for tests, built through the real plan reader and state machine. */
public final class TestRollouts {
    public static final Actor ALICE = new Actor("alice", "cli", null);
    public static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    /** Three rings (canary 5% auto, early-adopters 25% manual, everyone 100%), one count-based gate, no actions. */
    public static final String THREE_RINGS = """
            service: checkout
            environment: production
            rings:
              - name: canary
                exposure: 5%
                bake: 1m
                gates: [error-rate]
              - name: early-adopters
                exposure: 25%
                bake: 1m
                gates: [error-rate]
                approval: manual
              - name: everyone
                exposure: 100%
                bake: 1m
                gates: [error-rate]
            gates:
              error-rate:
                kind: metrics
                endpoint: http://127.0.0.1:9/metrics
                errors: errors_total
                total: requests_total
                max: 0.01
                interval: 30s
                failureLimit: 1
            """;

    private TestRollouts() {}

    public static RolloutPlan plan(String yaml) {
        try {
            return PlanReader.parse(yaml);
        } catch (InvalidPlanException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static RolloutPlan threeRings() {
        return plan(THREE_RINGS);
    }

    public static RolloutPlan threeRings(String service, String environment) {
        return plan(THREE_RINGS.replace("service: checkout", "service: " + service)
                .replace("environment: production", "environment: " + environment));
    }

    /** A rollout just started (PENDING, revision 1). */
    public static RolloutState started(RolloutPlan plan, String version) {
        return applied(null, new Command.Start(plan, version, "1.0.0", "r-test", ALICE), T0).state();
    }

    public static Decision.Applied applied(RolloutState s, Command c, Instant now) {
        Decision d = RolloutMachine.apply(s, c, now);
        if (d instanceof Decision.Applied a) return a;
        throw new AssertionError("expected the command to apply, got " + d);
    }
}
