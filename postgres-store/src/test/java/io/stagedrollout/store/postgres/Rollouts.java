package io.stagedrollout.store.postgres;

import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** States and events to store, built from a real plan. */
final class Rollouts {
    static final Actor ACTOR = new Actor("tester", "test", null);

    private Rollouts() {}

    /** canary (manual approval, no bake) then everyone; actions that do nothing. */
    static RolloutPlan plan(String service, String environment) {
        try {
            return PlanReader.parse("""
                    service: %s
                    environment: %s
                    rings:
                      - {name: canary, exposure: 5%%, bake: 0s, approval: manual}
                      - {name: everyone, exposure: 100%%, bake: 0s}
                    actions:
                      deploy: {kind: command, command: ["true"]}
                      revert: {kind: command, command: ["true"]}
                    """.formatted(service, environment));
        } catch (InvalidPlanException e) {
            throw new IllegalStateException(e.problems().toString(), e);
        }
    }

    static RolloutState state(String service, String environment, long revision, Status status) {
        Instant t = Instant.parse("2026-11-26T04:00:00Z").plusSeconds(revision);
        return new RolloutState("r-" + service, service, environment, "2.0.0", "1.0.0", status, -1, revision, t, t, null,
                null, List.of(), null, null, "reason " + revision, plan(service, environment));
    }

    static RolloutEvent event(String type, String reason) {
        return new RolloutEvent(0, "r-1", Instant.parse("2026-11-26T04:00:00Z"), type, ACTOR, Status.PENDING,
                Status.DEPLOYING, "canary", reason, Map.of("note", reason));
    }
}
