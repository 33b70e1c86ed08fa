package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import java.time.Instant;

/**
 * What a listing shows of a rollout: enough to find it and see where it stands, read without the plan (a store
 * with many rollouts lists them without parsing every plan).
 *
 * @param ring      the current ring's name, or null before the first ring
 * @param ringCount how many rings the plan has
 */
public record RolloutSummary(
        String key,
        String id,
        String version,
        String stableVersion,
        Status status,
        int ringIndex,
        String ring,
        int ringCount,
        long revision,
        Instant updatedAt) {

    public static RolloutSummary of(RolloutState s) {
        return new RolloutSummary(s.key(), s.id(), s.version(), s.stableVersion(), s.status(), s.ringIndex(), s.ringName(),
                s.plan().rings().size(), s.revision(), s.updatedAt());
    }
}
