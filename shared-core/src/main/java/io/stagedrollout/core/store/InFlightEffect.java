package io.stagedrollout.core.store;

import java.time.Instant;

/**
 * An effect (deploy, revert) a lease holder started and whose processes may still run: recorded in the lease before
 * it starts and removed once its process group is gone. If the holder crashes, the next holder ends the effect's
 * processes when it is on the same machine ({@code tag} marks them), or waits until {@code deadline}, by when the
 * effect's own time limit has ended them, before it runs any effect itself: the revert is always the last effect.
 *
 * @param kind     {@code deploy} or {@code revert}
 * @param ring     the ring deployed (null for a revert)
 * @param tag      the value of {@code ROLLOUT_EFFECT} in the effect's processes' environment
 * @param machine  {@link LeaseHolder#machine()} of the host it runs on
 * @param host     that host's name, for people
 * @param pid      the effect's process (and process group) id
 * @param deadline by when its time limit ends it, whatever happens to the driver
 */
public record InFlightEffect(String kind, String ring, String tag, String machine, String host, long pid, Instant deadline) {
    public String describe() {
        return kind + (ring == null ? "" : " of ring " + ring) + " (pid " + pid + " on " + host + ", ended by " + deadline + " at the latest)";
    }
}
