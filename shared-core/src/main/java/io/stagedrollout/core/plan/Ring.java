package io.stagedrollout.core.plan;

import java.time.Duration;
import java.util.List;

/** One step of the rollout: deploy to {@code exposure}, bake for {@code bake} while {@code gates} are measured. */
public record Ring(
        String name,
        Exposure exposure,
        Duration bake,
        List<String> gates,
        Approval approval,
        OnVerdict onFailure,
        OnVerdict onInconclusive,
        String deploy) {
    public Ring {
        gates = List.copyOf(gates);
    }
}
