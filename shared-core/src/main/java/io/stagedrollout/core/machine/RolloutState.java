package io.stagedrollout.core.machine;

import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.RingVerdict;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Instant;
import java.util.List;

/**
 * The durable state of one rollout. One active rollout per key {@code service/environment}; a finished one stays
 * stored until the next starts, so the last good version is always known.
 *
 * @param stableVersion the version to revert to: the last good version before this rollout (null if unknown)
 * @param ringIndex     the current ring, -1 before the first ring is deployed
 * @param revision      increases by one with every committed transition (compare-and-set)
 * @param gates         the current ring's gate tallies
 * @param verdict       the current ring's verdict, once concluded
 * @param hold          why the rollout waits for a person ({@code approval}, {@code inconclusive}, {@code failed})
 * @param reason        the latest reason given (a rollback's reason, a failure's explanation)
 * @param plan          the expanded plan the rollout was started with
 */
public record RolloutState(
        String id,
        String service,
        String environment,
        String version,
        String stableVersion,
        Status status,
        int ringIndex,
        long revision,
        Instant startedAt,
        Instant updatedAt,
        Instant bakeStartedAt,
        Instant bakeEndsAt,
        List<GateProgress> gates,
        RingVerdict verdict,
        String hold,
        String reason,
        RolloutPlan plan) {

    public RolloutState {
        gates = gates == null ? List.of() : List.copyOf(gates);
    }

    public String key() {
        return service + "/" + environment;
    }

    /** The current ring, or null before the first ring. */
    public Ring ring() {
        return ringIndex < 0 ? null : plan.ring(ringIndex);
    }

    public String ringName() {
        return ringIndex < 0 ? null : plan.ring(ringIndex).name();
    }

    public boolean isLastRing() {
        return ringIndex == plan.rings().size() - 1;
    }

    /** The version known to be good: this one once completed, otherwise the stable version. */
    public String lastGoodVersion() {
        return status == Status.COMPLETED ? version : stableVersion;
    }

    RolloutState with(Status s, Instant now) {
        return new RolloutState(id, service, environment, version, stableVersion, s, ringIndex, revision, startedAt, now,
                bakeStartedAt, bakeEndsAt, gates, verdict, hold, reason, plan);
    }

    RolloutState withRing(int index, Instant bakeStart, Instant bakeEnd, List<GateProgress> g, RingVerdict v) {
        return new RolloutState(id, service, environment, version, stableVersion, status, index, revision, startedAt,
                updatedAt, bakeStart, bakeEnd, g, v, hold, reason, plan);
    }

    RolloutState withGates(List<GateProgress> g) {
        return new RolloutState(id, service, environment, version, stableVersion, status, ringIndex, revision,
                startedAt, updatedAt, bakeStartedAt, bakeEndsAt, g, verdict, hold, reason, plan);
    }

    RolloutState withVerdict(RingVerdict v) {
        return new RolloutState(id, service, environment, version, stableVersion, status, ringIndex, revision,
                startedAt, updatedAt, bakeStartedAt, bakeEndsAt, gates, v, hold, reason, plan);
    }

    RolloutState withHold(String h, String why) {
        return new RolloutState(id, service, environment, version, stableVersion, status, ringIndex, revision,
                startedAt, updatedAt, bakeStartedAt, bakeEndsAt, gates, verdict, h, why, plan);
    }

    RolloutState withStableVersion(String stable) {
        return new RolloutState(id, service, environment, version, stable, status, ringIndex, revision, startedAt,
                updatedAt, bakeStartedAt, bakeEndsAt, gates, verdict, hold, reason, plan);
    }

    /** The same state at the next revision; only stores call this. */
    public RolloutState atRevision(long r) {
        return new RolloutState(id, service, environment, version, stableVersion, status, ringIndex, r, startedAt,
                updatedAt, bakeStartedAt, bakeEndsAt, gates, verdict, hold, reason, plan);
    }
}
