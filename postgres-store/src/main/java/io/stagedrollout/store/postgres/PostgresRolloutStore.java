package io.stagedrollout.store.postgres;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.Fence;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.StateJson;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.postgresql.Driver;

/**
 * Rollouts in PostgreSQL, for many CI runners and Jenkins controllers on many machines. One row per key in
 * {@code rollout_state} with a {@code revision} column; a commit is one transaction that updates the row only
 * {@code WHERE revision = expected} (or inserts it only if absent) and appends the events to {@code rollout_event}.
 * A concurrent committer blocks on the row lock and then finds the revision moved, so exactly one of them wins; a
 * loser writes nothing. States and events are stored as the same JSON as the file store's ({@link StateJson}).
 *
 * <p>Connections are opened on demand; up to {@link #MAX_IDLE} are kept for reuse and checked with a round trip
 * before reuse when they sat idle, so a store survives database restarts and failovers. {@link #close()} closes
 * them.
 */
public final class PostgresRolloutStore implements RolloutStore {
    private static final Driver DRIVER = new Driver();
    static final int MAX_IDLE = 4;
    /** A connection returned this recently is reused without a check (as HikariCP's alive-bypass window). */
    private static final long TRUST_IDLE_NANOS = 500_000_000L;
    private final PostgresLocation location;
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    private record Idle(Connection connection, long since) {}

    private PostgresRolloutStore(PostgresLocation location) {
        this.location = location;
    }

    /** Connects once to check the server and brings the schema up to date. */
    public static PostgresRolloutStore open(PostgresLocation location) throws StoreException {
        PostgresRolloutStore store = new PostgresRolloutStore(location);
        try (Connection c = store.connect()) {
            SchemaMigrations.migrate(c);
        } catch (SQLException e) {
            throw store.failure("cannot prepare the rollout tables", e);
        }
        return store;
    }

    /** A connection in auto-commit mode, reused or new; give it back with {@link #release}. */
    private Connection borrow() throws SQLException {
        if (closed) throw new SQLException("the store is closed");
        for (Idle i; (i = idle.pollFirst()) != null; ) {
            if (System.nanoTime() - i.since() < TRUST_IDLE_NANOS || i.connection().isValid(2)) return i.connection();
            closeQuietly(i.connection());
        }
        return connect();
    }

    /** Keeps a connection that worked for the next operation; closes one that failed or is surplus. */
    private void release(Connection c, boolean healthy) {
        try {
            if (healthy && !closed && idle.size() < MAX_IDLE && !c.isClosed()) {
                if (!c.getAutoCommit()) c.setAutoCommit(true);
                idle.offerFirst(new Idle(c, System.nanoTime()));
                return;
            }
        } catch (SQLException e) {
            // fall through: a connection that cannot even say whether it is closed is not worth keeping
        }
        closeQuietly(c);
    }

    @Override
    public void close() {
        closed = true;
        for (Idle i; (i = idle.pollFirst()) != null; ) closeQuietly(i.connection());
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing a broken connection can fail; it is gone either way
        }
    }

    /** One database operation on a borrowed connection. */
    interface Work<T> {
        T run(Connection c) throws SQLException, StoreException;
    }

    <T> T withConnection(Work<T> work) throws SQLException, StoreException {
        Connection c = borrow();
        boolean healthy = false;
        try {
            T result = work.run(c);
            healthy = true;
            return result;
        } catch (StoreException e) {
            healthy = true; // the connection worked; the data was unreadable
            throw e;
        } finally {
            release(c, healthy);
        }
    }

    Connection connect() throws SQLException {
        // the driver directly, not DriverManager: plugin class loaders (Jenkins) hide drivers from DriverManager
        Connection c = DRIVER.connect(location.url(), location.properties());
        if (c == null) throw new SQLException("the PostgreSQL driver does not accept " + location.describe());
        return c;
    }

    @Override
    public Optional<RolloutState> read(RolloutKey key) throws StoreException {
        try {
            return withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT state FROM rollout_state WHERE service = ? AND environment = ?")) {
                    s.setString(1, key.service());
                    s.setString(2, key.environment());
                    try (ResultSet rs = s.executeQuery()) {
                        return rs.next() ? Optional.of(state(key, rs.getString(1))) : Optional.<RolloutState>empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw failure("cannot read rollout " + key, e);
        }
    }

    // lease: driver leases in their own table (PostgresLeases, migration V2)
    @Override
    public RolloutLeases leases() {
        return new PostgresLeases(this);
    }

    @Override
    public void commit(RolloutKey key, long expectedRevision, RolloutState state, List<RolloutEvent> events, Fence fence)
            throws ConflictException, RolloutLeases.LeaseLostException, StoreException {
        if (state.revision() != expectedRevision + 1) {
            throw new IllegalArgumentException("state revision " + state.revision() + " does not follow " + expectedRevision);
        }
        String json = StateJson.write(state);
        Object conflict;
        try {
            // the revision found instead of the expected one, a lost lease, or null when this commit won
            conflict = withConnection(c -> {
                c.setAutoCommit(false);
                try {
                    try {
                        PostgresLeases.checkFence(c, key, fence); // lease: a stale driver's commit is refused atomically
                    } catch (RolloutLeases.LeaseLostException lost) {
                        c.rollback();
                        return lost;
                    }
                    if (!writeState(c, key, expectedRevision, state, json)) {
                        long actual = revision(c, key);
                        c.rollback();
                        return actual;
                    }
                    appendEvents(c, key, state.revision(), events);
                    c.commit();
                    return null;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(c);
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw failure("cannot commit rollout " + key, e);
        }
        if (conflict instanceof RolloutLeases.LeaseLostException lost) throw lost;
        if (conflict != null) throw new ConflictException(key, expectedRevision, (Long) conflict);
    }

    /** The compare-and-set: true when this transaction now holds the new state. */
    private static boolean writeState(Connection c, RolloutKey key, long expected, RolloutState state, String json) throws SQLException {
        String sql = expected == 0
                ? "INSERT INTO rollout_state (revision, rollout_id, version, status, state, updated_at, service, environment)"
                        + " VALUES (?, ?, ?, ?, ?::json, now(), ?, ?) ON CONFLICT (service, environment) DO NOTHING"
                : "UPDATE rollout_state SET revision = ?, rollout_id = ?, version = ?, status = ?, state = ?::json, updated_at = now()"
                        + " WHERE service = ? AND environment = ? AND revision = ?";
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, state.revision());
            s.setString(2, state.id());
            s.setString(3, state.version());
            s.setString(4, state.status() == null ? null : state.status().name());
            s.setString(5, json);
            s.setString(6, key.service());
            s.setString(7, key.environment());
            if (expected != 0) s.setLong(8, expected);
            return s.executeUpdate() == 1;
        }
    }

    private static void appendEvents(Connection c, RolloutKey key, long revision, List<RolloutEvent> events) throws SQLException {
        if (events.isEmpty()) return;
        try (PreparedStatement s = c.prepareStatement("INSERT INTO rollout_event"
                + " (service, environment, revision, rollout_id, type, at, event) VALUES (?, ?, ?, ?, ?, ?, ?::json)")) {
            for (RolloutEvent e : events) {
                RolloutEvent stamped = e.withRevision(revision);
                s.setString(1, key.service());
                s.setString(2, key.environment());
                s.setLong(3, revision);
                s.setString(4, stamped.rolloutId());
                s.setString(5, stamped.type() == null ? "" : stamped.type());
                if (stamped.at() == null) s.setNull(6, Types.TIMESTAMP_WITH_TIMEZONE);
                else s.setTimestamp(6, Timestamp.from(stamped.at()));
                s.setString(7, StateJson.write(stamped));
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    private static long revision(Connection c, RolloutKey key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT revision FROM rollout_state WHERE service = ? AND environment = ?")) {
            s.setString(1, key.service());
            s.setString(2, key.environment());
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    @Override
    public List<RolloutState> list() throws StoreException {
        // byte order, as the file store lists its directories
        try {
            return withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT service, environment, state FROM rollout_state"
                                + " ORDER BY service COLLATE \"C\", environment COLLATE \"C\"");
                        ResultSet rs = s.executeQuery()) {
                    List<RolloutState> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(state(new RolloutKey(rs.getString(1), rs.getString(2)), rs.getString(3)));
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw failure("cannot list rollouts", e);
        }
    }

    @Override
    public List<RolloutEvent> history(RolloutKey key) throws StoreException {
        try {
            return withConnection(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT event FROM rollout_event"
                        + " WHERE service = ? AND environment = ? ORDER BY seq")) {
                    s.setString(1, key.service());
                    s.setString(2, key.environment());
                    List<RolloutEvent> out = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery()) {
                        while (rs.next()) {
                            try {
                                out.add(StateJson.readEvent(rs.getString(1)));
                            } catch (IOException e) {
                                throw new StoreException("the journal of " + key + " holds an unreadable event: " + e.getMessage(), e);
                            }
                        }
                    }
                    return out;
                }
            });
        } catch (SQLException e) {
            throw failure("cannot read the journal of " + key, e);
        }
    }

    @Override
    public String describe() {
        return location.describe();
    }

    private static RolloutState state(RolloutKey key, String json) throws StoreException {
        try {
            return StateJson.readState(json);
        } catch (IOException e) {
            throw new StoreException("the stored state of " + key + " is unreadable: " + e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closing anyway; the transaction dies with it
        }
    }

    StoreException failure(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : " [SQLState " + e.getSQLState() + "]";
        return new StoreException(what + " in " + location.describe() + ": " + e.getMessage() + state, e);
    }
}
