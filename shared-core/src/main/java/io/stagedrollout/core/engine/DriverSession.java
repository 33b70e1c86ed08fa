package io.stagedrollout.core.engine;

import io.stagedrollout.core.action.ProcessGroups;
import io.stagedrollout.core.store.Fence;
import io.stagedrollout.core.store.InFlightEffect;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseHolder;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.store.RolloutLeases.LeaseHeldException;
import io.stagedrollout.core.store.RolloutLeases.LeaseLostException;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One driver's hold on a key's lease, from taking it to giving it back: renewed at the driver's poll points (the
 * driver never blocks longer than a fraction of the lease's time to live), checked before every effect, and marked
 * lost the moment a renewal fails for good — after which the driver touches nothing. Taking a lease over from a
 * crashed driver first ends (same machine) or waits out (another machine) the effects that driver left running.
 */
final class DriverSession {
    private final RolloutStore store;
    private final RolloutLeases leases;
    private final RolloutKey key;
    private final Clock clock;
    private final LeasePolicy policy;
    private final EngineListener listener;
    private final Thread owner = Thread.currentThread();
    private volatile Lease lease;
    private volatile String lostWhy;
    private Instant renewAt;
    int depth = 1;

    private DriverSession(RolloutStore store, RolloutKey key, Clock clock, LeasePolicy policy, EngineListener listener, Lease lease) {
        this.store = store;
        this.leases = store.leases();
        this.key = key;
        this.clock = clock;
        this.policy = policy;
        this.listener = listener;
        this.lease = lease;
        this.renewAt = lease.acquiredAt().plus(policy.renewEvery());
    }

    /** Why a driver cannot go on: it could not get the lease, lost it, or was told to stop. */
    static final class Halt extends RuntimeException {
        enum Why { UNAVAILABLE, LOST, STOPPED }

        final Why why;
        final EngineResult.Kind kind;

        Halt(Why why, EngineResult.Kind kind, String message) {
            super(message, null, false, false);
            this.why = why;
            this.kind = kind;
        }
    }

    /**
     * Takes {@code key}'s lease for {@code holder}, waiting up to {@code wait} while another live driver holds it.
     * A lapsed lease, or one whose holder is provably dead on this machine, is taken over at once.
     *
     * @throws Halt (CONFLICT) naming the holder when the wait runs out; (NOT_YET) when told to stop meanwhile
     */
    static DriverSession acquire(RolloutStore store, RolloutKey key, String rolloutId, LeaseHolder holder, LeasePolicy policy,
            Clock clock, Sleeper sleeper, EngineListener listener, Duration wait, BooleanSupplier stopRequested)
            throws StoreException, InterruptedException {
        RolloutLeases leases = store.leases();
        Instant deadline = clock.instant().plus(wait);
        boolean told = false;
        while (true) {
            Instant now = clock.instant();
            Lease current = leases.read(key).orElse(null);
            boolean dead = current != null && !current.freeAt(now) && LocalMachine.isDead(current.holder());
            if (current == null || current.freeAt(now) || dead) {
                try {
                    Lease mine = leases.acquire(key, new RolloutLeases.Claim(holder, rolloutId, policy.ttl(),
                            current == null ? 0 : current.token(), dead), now);
                    DriverSession s = new DriverSession(store, key, clock, policy, listener, mine);
                    if (dead) listener.output("took over the lease of " + key + " from " + current.holder().describe()
                            + ", whose process is gone (token " + mine.token() + ")");
                    else if (current != null && !current.released()) listener.output("took over the lapsed lease of " + key
                            + " from " + current.holder().describe() + " (token " + mine.token() + ")");
                    if (current != null && (!current.released() || !current.effects().isEmpty())) {
                        s.settleLeftovers(current, sleeper, stopRequested);
                    }
                    return s;
                } catch (LeaseHeldException changed) {
                    continue; // another driver moved first: look again
                }
            }
            if (!now.isBefore(deadline)) {
                throw new Halt(Halt.Why.UNAVAILABLE, EngineResult.Kind.CONFLICT, "another driver holds the lease of " + key + ": "
                        + current.describe() + "; this driver waited " + io.stagedrollout.core.plan.Durations.format(wait)
                        + " and changed nothing. Wait for that driver to finish (`rollout status --rollout " + key
                        + " --wait`), or stop it; if it has died, its lease lapses by " + current.expiresAt());
            }
            if (stopRequested.getAsBoolean()) {
                throw new Halt(Halt.Why.STOPPED, EngineResult.Kind.NOT_YET, "stopped while waiting for the lease of " + key);
            }
            if (!told) {
                listener.output("waiting for the lease of " + key + ": " + current.describe());
                told = true;
            }
            Duration left = Duration.between(now, deadline.isBefore(current.expiresAt()) ? deadline : current.expiresAt());
            Duration step = Duration.ofMillis(250);
            sleeper.sleep(left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left.compareTo(step) < 0 ? left : step);
        }
    }

    /**
     * The effects a crashed (or stopped) holder may have left running end before this driver runs any: on this
     * machine they are ended through their tag (SIGTERM, grace, SIGKILL), as are the crashed driver's gate programs;
     * on another machine this driver waits until their deadline, by when their own time limit has ended them.
     */
    private void settleLeftovers(Lease previous, Sleeper sleeper, BooleanSupplier stopRequested)
            throws StoreException, InterruptedException {
        List<InFlightEffect> remaining = new ArrayList<>();
        for (InFlightEffect e : previous.effects()) {
            if (LocalMachine.isLocal(e.machine())) {
                int ended = ProcessGroups.end(e.pid() > 1 ? e.pid() : -1, e.tag(), policy.stopGrace());
                if (ended > 0) listener.output("ended " + ended + " process" + (ended == 1 ? "" : "es") + " of the "
                        + e.describe() + " left by the previous driver");
            } else if (clock.instant().isBefore(e.deadline())) {
                remaining.add(e);
            }
        }
        if (!previous.released() && previous.rolloutId() != null) {
            String gatePrefix = "gate:" + key + ":" + previous.rolloutId() + ":";
            ProcessGroups.end(-1, t -> t.startsWith(gatePrefix), policy.stopGrace());
        }
        for (InFlightEffect e : remaining) {
            listener.output("waiting for the " + e.describe() + ", left by the previous driver on another machine, to end");
            while (clock.instant().isBefore(e.deadline())) {
                if (stopRequested.getAsBoolean()) {
                    throw new Halt(Halt.Why.STOPPED, EngineResult.Kind.NOT_YET, "stopped while waiting for " + e.describe());
                }
                renewIfDue();
                Duration left = Duration.between(clock.instant(), e.deadline());
                sleeper.sleep(left.compareTo(Duration.ofSeconds(1)) < 0 ? left : Duration.ofSeconds(1));
            }
        }
        recordEffects(List.of());
    }

    RolloutKey key() {
        return key;
    }

    Thread owner() {
        return owner;
    }

    Lease lease() {
        return lease;
    }

    Fence fence() {
        return lease.fence();
    }

    boolean lost() {
        return lostWhy != null;
    }

    /** Throws when the lease is gone: the driver must not touch anything more. */
    void check() {
        if (lostWhy != null) throw lostHalt();
    }

    Halt lostHalt() {
        return new Halt(Halt.Why.LOST, EngineResult.Kind.CONFLICT, "this driver lost the lease of " + key + " (token " + lease.token()
                + "): " + lostWhy + "; it stopped without touching anything more");
    }

    void markLost(String why) {
        if (lostWhy == null) lostWhy = why;
    }

    /** Renews the lease when a third of its time to live has passed; marks it lost when it cannot. */
    void renewIfDue() {
        if (lostWhy != null) throw lostHalt();
        Instant now = clock.instant();
        if (now.isBefore(renewAt)) return;
        try {
            lease = leases.renew(lease, policy.ttl(), now);
            renewAt = now.plus(policy.renewEvery());
        } catch (LeaseLostException e) {
            markLost(e.getMessage());
            throw lostHalt();
        } catch (StoreException e) {
            // a store hiccup: try again at the next poll, but never act past the lease's expiry
            if (!now.isBefore(lease.expiresAt())) {
                markLost("it could not be renewed before it lapsed (" + e.getMessage() + ")");
                throw lostHalt();
            }
            listener.output("could not renew the lease of " + key + " (will retry): " + e.getMessage());
        }
    }

    void recordEffects(List<InFlightEffect> effects) throws StoreException {
        try {
            lease = leases.recordEffects(lease, effects, clock.instant());
        } catch (LeaseLostException e) {
            markLost(e.getMessage());
            throw lostHalt();
        }
    }

    void addEffect(InFlightEffect e) throws StoreException {
        List<InFlightEffect> next = new ArrayList<>(lease.effects());
        next.add(e);
        recordEffects(next);
    }

    void removeEffect(String tag) throws StoreException {
        List<InFlightEffect> next = new ArrayList<>(lease.effects());
        next.removeIf(x -> x.tag().equals(tag));
        recordEffects(next);
    }

    /** Gives the lease back (unless lost); effects still recorded stay for the next holder. */
    void release() {
        if (lostWhy != null) return;
        try {
            leases.release(lease, clock.instant());
        } catch (StoreException e) {
            listener.output("could not give back the lease of " + key + " (it lapses by " + lease.expiresAt() + "): " + e.getMessage());
        }
    }

    RolloutStore store() {
        return store;
    }
}
