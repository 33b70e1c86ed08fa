import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A real PostgreSQL server for the action's tests (zonky's embedded binaries, as postgres-store's tests use them),
 * run as a small process: {@code java -cp <classpath> EmbeddedPostgresServer.java}. It creates the role
 * {@code rollout} with a random password and the database {@code rollouts}, requires that password for every
 * connection but the bootstrap superuser's, prints one JSON line {@code {"url", "user", "password"}} and serves
 * until its standard input closes.
 */
public final class EmbeddedPostgresServer {
    public static void main(String[] args) throws Exception {
        Path data = Files.createTempDirectory("rollout-action-pg-");
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = "pw" + HexFormat.of().formatHex(secret);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("fsync", "off").start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE ROLE rollout LOGIN PASSWORD '" + password + "'");
                s.execute("CREATE DATABASE rollouts OWNER rollout");
                // from here on only the bootstrap superuser is trusted; the store must log in with the password
                Files.writeString(data.resolve("pg_hba.conf"), """
                        local all all trust
                        host all postgres 127.0.0.1/32 trust
                        host all all 127.0.0.1/32 scram-sha-256
                        """);
                s.execute("SELECT pg_reload_conf()");
            }
            System.out.println("{\"url\":\"jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/rollouts\",\"user\":\"rollout\","
                    + "\"password\":\"" + password + "\"}");
            System.out.flush();
            while (System.in.read() >= 0) {
                // serve until the test closes our standard input
            }
        }
    }
}
