package io.stagedrollout.core.store;

import java.time.Instant;
import java.util.List;

/**
 * Who drives a rollout key now: one driver at a time ({@code run}, {@code advance}, a Jenkins stage, a CI job) holds
 * the key's lease before it runs any effect, renews it while it works, and stops the moment it loses it.
 *
 * @param token      the fencing token: grows by one with every new holder of the key, never reused (not even after
 *                   a release), so a commit or effect of a stale driver is told apart from the current one's
 * @param holder     who holds it (host, process, what it is)
 * @param rolloutId  the rollout the holder drives
 * @param expiresAt  when the lease lapses unless renewed; a crashed driver's lease lapses by itself
 * @param released   given back by its holder: free for the next driver at once
 * @param effects    effects (deploy, revert) that may still be running: recorded before they start, removed once
 *                   their process group is gone; kept across a takeover so the next holder ends them (or waits for
 *                   their deadline) before it runs any effect of its own
 */
public record Lease(RolloutKey key, long token, LeaseHolder holder, String rolloutId, Instant acquiredAt,
        Instant expiresAt, boolean released, List<InFlightEffect> effects) {
    public Lease {
        effects = effects == null ? List.of() : List.copyOf(effects);
    }

    /** Whether a new driver may take it without asking: released, or lapsed at {@code now}. */
    public boolean freeAt(Instant now) {
        return released || !now.isBefore(expiresAt);
    }

    public Fence fence() {
        return new Fence(token);
    }

    public Lease withEffects(List<InFlightEffect> e) {
        return new Lease(key, token, holder, rolloutId, acquiredAt, expiresAt, released, e);
    }

    public Lease renewedUntil(Instant until) {
        return new Lease(key, token, holder, rolloutId, acquiredAt, until, released, effects);
    }

    public Lease releasedAt(Instant now) {
        return new Lease(key, token, holder, rolloutId, acquiredAt, now, true, effects);
    }

    /** "token 7, held by rollout run (alice) pid 4711 on ci-runner-3 until 2026-…Z", for messages. */
    public String describe() {
        return "token " + token + ", " + (released ? "released by " : "held by ") + holder.describe()
                + (released ? "" : " until " + expiresAt) + (rolloutId == null ? "" : ", driving rollout " + rolloutId);
    }
}
