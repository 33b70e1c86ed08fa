package io.stagedrollout.core.plan;

import java.time.Duration;
import java.util.List;

/**
 * One step of the rollout: deploy to {@code exposure}, bake for {@code bake} while {@code gates} are measured.
 * {@code windows}, when not empty, replace the plan's deployment windows for this ring.
 */
public record Ring(
        String name,
        Exposure exposure,
        Duration bake,
        List<String> gates,
        Approval approval,
        OnVerdict onFailure,
        OnVerdict onInconclusive,
        String deploy,
        List<io.stagedrollout.core.policy.Window> windows) {
    public Ring {
        gates = List.copyOf(gates);
        windows = windows == null ? List.of() : List.copyOf(windows);
    }

    /** A ring that follows the plan's deployment windows. */
    public Ring(String name, Exposure exposure, Duration bake, List<String> gates, Approval approval, OnVerdict onFailure,
            OnVerdict onInconclusive, String deploy) {
        this(name, exposure, bake, gates, approval, onFailure, onInconclusive, deploy, List.of());
    }
}
