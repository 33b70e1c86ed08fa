package io.stagedrollout.store.postgres;

import io.stagedrollout.core.store.Fence;
import io.stagedrollout.core.store.InFlightEffect;
import io.stagedrollout.core.store.Lease;
import io.stagedrollout.core.store.LeaseJson;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutLeases;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Driver leases in PostgreSQL: one row per key in {@code rollout_lease}, changed only in transactions that lock the
 * row ({@code FOR UPDATE}); the store's fenced commits read it {@code FOR SHARE} in the commit's transaction
 * ({@link #checkFence}), so a takeover and a stale driver's commit never interleave. The row is never deleted.
 */
final class PostgresLeases implements RolloutLeases {
    private static final String COLUMNS = "token, holder, rollout_id, acquired_at, expires_at, released, effects";
    private final PostgresRolloutStore store;

    PostgresLeases(PostgresRolloutStore store) {
        this.store = store;
    }

    /** Inside a commit's transaction: the fence's token must be the key's current lease token. */
    static void checkFence(Connection c, RolloutKey key, Fence fence) throws SQLException, StoreException, LeaseLostException {
        if (fence == null) return;
        Lease current = select(c, key, " FOR SHARE").orElse(null);
        if (current == null || current.token() != fence.token() || current.released()) {
            throw new LeaseLostException(key, fence.token(), current);
        }
    }

    @Override
    public Optional<Lease> read(RolloutKey key) throws StoreException {
        try {
            return store.withConnection(c -> select(c, key, ""));
        } catch (SQLException e) {
            throw store.failure("cannot read the lease of " + key, e);
        }
    }

    @Override
    public Lease acquire(RolloutKey key, Claim claim, Instant now) throws LeaseHeldException, StoreException {
        Object[] out = new Object[1]; // the granted Lease, or the Lease (or null) that refused it
        boolean[] granted = new boolean[1];
        transaction(c -> {
            Lease current = select(c, key, " FOR UPDATE").orElse(null);
            long token = current == null ? 0 : current.token();
            if (token != claim.expectedToken() || (current != null && !current.freeAt(now) && !claim.takeOver())) {
                out[0] = current;
                return;
            }
            Lease next = new Lease(key, token + 1, claim.holder(), claim.rolloutId(), now, now.plus(claim.ttl()), false,
                    current == null ? List.of() : current.effects());
            String sql = current == null
                    ? "INSERT INTO rollout_lease (" + COLUMNS + ", service, environment) VALUES (?, ?::json, ?, ?, ?, ?, ?::json, ?, ?)"
                            + " ON CONFLICT (service, environment) DO NOTHING"
                    : "UPDATE rollout_lease SET token = ?, holder = ?::json, rollout_id = ?, acquired_at = ?, expires_at = ?,"
                            + " released = ?, effects = ?::json WHERE service = ? AND environment = ?";
            if (write(c, sql, next) == 1) {
                out[0] = next;
                granted[0] = true;
            } else {
                out[0] = null; // another driver inserted the first lease meanwhile
            }
        });
        if (!granted[0]) throw new LeaseHeldException((Lease) out[0]);
        return (Lease) out[0];
    }

    @Override
    public Lease renew(Lease held, Duration ttl, Instant now) throws LeaseLostException, StoreException {
        return update(held, l -> l.renewedUntil(now.plus(ttl)));
    }

    @Override
    public Lease recordEffects(Lease held, List<InFlightEffect> effects, Instant now) throws LeaseLostException, StoreException {
        return update(held, l -> l.withEffects(effects));
    }

    @Override
    public void release(Lease held, Instant now) throws StoreException {
        try {
            update(held, l -> l.releasedAt(now));
        } catch (LeaseLostException notHeldAnyMore) {
            // another driver holds it now: nothing of ours to give back
        }
    }

    private Lease update(Lease held, UnaryOperator<Lease> change) throws LeaseLostException, StoreException {
        Lease[] out = new Lease[2]; // [0] the updated lease, or [1] the key's lease when ours is gone
        transaction(c -> {
            Lease current = select(c, held.key(), " FOR UPDATE").orElse(null);
            if (current == null || current.token() != held.token() || current.released()) {
                out[1] = current;
                return;
            }
            Lease next = change.apply(current);
            write(c, "UPDATE rollout_lease SET token = ?, holder = ?::json, rollout_id = ?, acquired_at = ?, expires_at = ?,"
                    + " released = ?, effects = ?::json WHERE service = ? AND environment = ?", next);
            out[0] = next;
        });
        if (out[0] == null) throw new LeaseLostException(held.key(), held.token(), out[1]);
        return out[0];
    }

    private interface TxWork {
        void run(Connection c) throws SQLException, StoreException;
    }

    private void transaction(TxWork work) throws StoreException {
        try {
            store.withConnection(c -> {
                c.setAutoCommit(false);
                try {
                    work.run(c);
                    c.commit();
                    return null;
                } catch (SQLException | StoreException | RuntimeException e) {
                    try {
                        c.rollback();
                    } catch (SQLException ignored) {
                        // the connection is closing anyway; the transaction dies with it
                    }
                    throw e;
                }
            });
        } catch (SQLException e) {
            throw store.failure("cannot update a lease", e);
        }
    }

    private static Optional<Lease> select(Connection c, RolloutKey key, String lock) throws SQLException, StoreException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM rollout_lease WHERE service = ? AND environment = ?" + lock)) {
            s.setString(1, key.service());
            s.setString(2, key.environment());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) return Optional.empty();
                try {
                    return Optional.of(new Lease(key, rs.getLong(1), LeaseJson.readHolder(rs.getString(2)), rs.getString(3),
                            rs.getObject(4, OffsetDateTime.class).toInstant(), rs.getObject(5, OffsetDateTime.class).toInstant(),
                            rs.getBoolean(6), LeaseJson.readEffects(rs.getString(7))));
                } catch (IOException e) {
                    throw new StoreException("the lease of " + key + " is unreadable: " + e.getMessage(), e);
                }
            }
        }
    }

    private static int write(Connection c, String sql, Lease l) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setLong(1, l.token());
            s.setString(2, LeaseJson.write(l.holder()));
            s.setString(3, l.rolloutId());
            s.setObject(4, OffsetDateTime.ofInstant(l.acquiredAt(), ZoneOffset.UTC));
            s.setObject(5, OffsetDateTime.ofInstant(l.expiresAt(), ZoneOffset.UTC));
            s.setBoolean(6, l.released());
            s.setString(7, LeaseJson.write(l.effects()));
            s.setString(8, l.key().service());
            s.setString(9, l.key().environment());
            return s.executeUpdate();
        }
    }
}
