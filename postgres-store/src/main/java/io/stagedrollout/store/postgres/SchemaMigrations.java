package io.stagedrollout.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the store's tables with versioned SQL scripts ({@code migrations/V<n>__<what>.sql}), applied
 * in order, each recorded in {@code rollout_schema_version}. The whole migration runs in one transaction under an
 * advisory lock, so several processes opening the store at once apply each script exactly once, and a failed
 * script leaves the schema as it was (PostgreSQL's DDL is transactional).
 */
final class SchemaMigrations {
    /** Every script, oldest first. Add new ones at the end; never edit an applied one. */
    static final List<String> SCRIPTS = List.of("V1__rollout_state_and_events.sql", "V2__rollout_lease.sql");
    /** Any constant shared by all processes; "rollout" in ASCII. */
    private static final long LOCK_ID = 0x726f6c6c6f7574L;

    private SchemaMigrations() {}

    static int latest() {
        return SCRIPTS.size();
    }

    /** Brings the schema to the latest version; returns the version it was at before. */
    static int migrate(Connection c) throws SQLException {
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                lock.setLong(1, LOCK_ID);
                lock.execute();
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS rollout_schema_version ("
                        + " version integer PRIMARY KEY, script text NOT NULL,"
                        + " applied_at timestamptz NOT NULL DEFAULT now())");
            }
            int current;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM rollout_schema_version")) {
                rs.next();
                current = rs.getInt(1);
            }
            if (current > latest()) {
                throw new SQLException("the database's rollout schema is at version " + current
                        + ", newer than this build knows (" + latest() + "); upgrade staged-rollout");
            }
            for (int v = current + 1; v <= latest(); v++) {
                String script = SCRIPTS.get(v - 1);
                try (Statement s = c.createStatement()) {
                    s.execute(read(script));
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO rollout_schema_version (version, script) VALUES (?, ?)")) {
                    ins.setInt(1, v);
                    ins.setString(2, script);
                    ins.executeUpdate();
                }
            }
            c.commit();
            return current;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(auto);
        }
    }

    private static String read(String script) throws SQLException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream("migrations/" + script)) {
            if (in == null) throw new SQLException("migration script " + script + " is missing from the build");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SQLException("cannot read migration script " + script, e);
        }
    }
}
