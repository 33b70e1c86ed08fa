package io.stagedrollout.core.machine;

import java.time.Instant;
import java.util.Map;

/**
 * One entry of the append-only journal: who did what, when, from which status to which, in which ring, why, and
 * the evidence (measurements, verdicts). {@code revision} is the state revision the event was committed with.
 */
public record RolloutEvent(
        long revision,
        String rolloutId,
        Instant at,
        String type,
        Actor actor,
        Status from,
        Status to,
        String ring,
        String reason,
        Map<String, Object> evidence) {
    public RolloutEvent {
        evidence = evidence == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
    }

    public RolloutEvent withRevision(long r) {
        return new RolloutEvent(r, rolloutId, at, type, actor, from, to, ring, reason, evidence);
    }
}
