package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.util.List;
import java.util.Optional;

/**
 * Where rollouts live, outside any single CI job. One contract, several implementations (the file store, the
 * PostgreSQL store); every implementation passes the same contract suite ({@code RolloutStoreContract} in the
 * core's test jar).
 *
 * <p>A commit is compare-and-set on the state's revision: it succeeds only when the stored revision is
 * {@code expectedRevision} (0 for a key never stored), and writes the new state and its events atomically. A crash
 * at any point leaves either the old or the new state, and the journal never loses a committed event.
 */
public interface RolloutStore extends AutoCloseable {

    Optional<RolloutState> read(RolloutKey key) throws StoreException;

    /**
     * Stores {@code state} (whose revision must be {@code expectedRevision + 1}) and appends {@code events}.
     *
     * @throws ConflictException when the stored revision is not {@code expectedRevision}: someone else committed
     *     first; re-read and decide again
     */
    default void commit(RolloutKey key, long expectedRevision, RolloutState state, List<RolloutEvent> events)
            throws ConflictException, StoreException {
        try {
            commit(key, expectedRevision, state, events, null);
        } catch (RolloutLeases.LeaseLostException e) {
            throw new AssertionError("an unfenced commit cannot lose a lease", e);
        }
    }

    /**
     * As {@link #commit(RolloutKey, long, RolloutState, List)}, fenced: with a {@code fence} the commit is made only
     * while the fence's token is the key's current lease token, atomically with the compare-and-set. Drivers commit
     * fenced; people's commands (promote, rollback, abort) commit unfenced and are never blocked by a driver.
     *
     * @throws RolloutLeases.LeaseLostException when another driver has taken the key's lease: nothing was written
     */
    void commit(RolloutKey key, long expectedRevision, RolloutState state, List<RolloutEvent> events, Fence fence)
            throws ConflictException, RolloutLeases.LeaseLostException, StoreException;

    /** The key's driver leases (one driver per key), atomic with the commits. */
    RolloutLeases leases();

    /** Every stored rollout's current state (active and finished), ordered by key. */
    List<RolloutState> list() throws StoreException;

    /** The key's journal in commit order, across all rollouts ever made on that key. */
    List<RolloutEvent> history(RolloutKey key) throws StoreException;

    /** A short description for messages, never containing a secret ("file store at /var/lib/rollout"). */
    String describe();

    @Override
    default void close() throws StoreException {}

    /** The store could not be read or written (I/O, database down). */
    class StoreException extends Exception {
        public StoreException(String message, Throwable cause) {
            super(message, cause);
        }

        public StoreException(String message) {
            super(message);
        }
    }

    /** Another writer committed first. */
    final class ConflictException extends Exception {
        private final long actualRevision;

        public ConflictException(RolloutKey key, long expected, long actual) {
            super("rollout " + key + " changed underneath: expected revision " + expected + ", found " + actual);
            this.actualRevision = actual;
        }

        public long actualRevision() {
            return actualRevision;
        }
    }
}
