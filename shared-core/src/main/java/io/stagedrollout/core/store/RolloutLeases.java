package io.stagedrollout.core.store;

import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The store's leases: one driver per rollout key (DESIGN.md "Drivers, leases and fencing"). Every operation is
 * atomic with the key's commits. Times are the caller's clock (one clock, injected); holders on several machines
 * need clocks that agree to well within the lease's time to live.
 */
public interface RolloutLeases {
    /** The key's lease, held, lapsed or released; empty when no driver ever took one. */
    Optional<Lease> read(RolloutKey key) throws StoreException;

    /**
     * Takes the key's lease for {@code claim.holder()}: only while the lease is still the one the caller saw
     * ({@code claim.expectedToken()}, 0 for none) and either free at {@code now} or {@code claim.takeOver()} (the
     * caller has made sure its holder is dead). The new lease has the next token and inherits the effects that may
     * still run.
     *
     * @throws LeaseHeldException when another driver holds it, or it changed since the caller looked
     */
    Lease acquire(RolloutKey key, Claim claim, Instant now) throws LeaseHeldException, StoreException;

    /** Extends a held lease to {@code now + ttl}. */
    Lease renew(Lease held, Duration ttl, Instant now) throws LeaseLostException, StoreException;

    /** Replaces the held lease's record of effects that may still run. */
    Lease recordEffects(Lease held, List<InFlightEffect> effects, Instant now) throws LeaseLostException, StoreException;

    /** Gives the lease back (its record of effects stays); nothing happens when it is no longer held. */
    void release(Lease held, Instant now) throws StoreException;

    /** What a driver asks for. */
    record Claim(LeaseHolder holder, String rolloutId, Duration ttl, long expectedToken, boolean takeOver) {}

    /** Another driver holds the lease (or it changed since the caller looked). */
    final class LeaseHeldException extends Exception {
        private final Lease current;

        public LeaseHeldException(Lease current) {
            super(current == null ? "the lease changed" : "another driver holds the lease: " + current.describe());
            this.current = current;
        }

        public Lease current() {
            return current;
        }
    }

    /** The caller's lease is no longer the key's lease: another driver took it over. */
    final class LeaseLostException extends Exception {
        public LeaseLostException(RolloutKey key, long token, Lease current) {
            super("the lease of " + key + " with token " + token + " was lost" + (current == null ? ""
                    : "; now " + current.describe()));
        }
    }
}
