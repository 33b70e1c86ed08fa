package io.stagedrollout.store.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Where the PostgreSQL store lives, read from one setting ({@code jdbc:postgresql://host:5432/db?sslmode=require})
 * and the environment, which alone carries the credentials: {@code ROLLOUT_DB_USER} / {@code ROLLOUT_DB_PASSWORD},
 * else {@code PGUSER} / {@code PGPASSWORD}, else the driver's own defaults ({@code ~/.pgpass}, the OS user). A
 * password inside the URL is refused, because the URL travels through plans, CI configuration and logs.
 *
 * @param url      the JDBC URL as given (holds no password)
 * @param user     the user name from the environment, or null
 * @param password the password from the environment, or null; never printed
 */
public record PostgresLocation(String url, String user, String password) {
    public static final String PREFIX = "jdbc:postgresql:";

    public static boolean accepts(String location) {
        return location != null && location.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /** @throws IllegalArgumentException naming what is wrong, without echoing a secret */
    public static PostgresLocation parse(String location, Map<String, String> env) {
        if (!accepts(location)) {
            throw new IllegalArgumentException("the store location must start with " + PREFIX + ", like jdbc:postgresql://db.example.com/rollouts");
        }
        int q = location.indexOf('?');
        if (q >= 0) {
            for (String pair : location.substring(q + 1).split("&")) {
                String name = URLDecoder.decode(pair.split("=", 2)[0], StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
                if (name.equals("password")) {
                    throw new IllegalArgumentException("the store location must not carry a password: set ROLLOUT_DB_PASSWORD "
                            + "(or PGPASSWORD) in the environment instead");
                }
            }
        }
        int slashes = location.indexOf("//");
        int at = location.indexOf('@');
        if (slashes >= 0 && at > slashes && (q < 0 || at < q)) {
            throw new IllegalArgumentException("the store location must not carry credentials before '@': set ROLLOUT_DB_USER "
                    + "and ROLLOUT_DB_PASSWORD in the environment instead");
        }
        String user = first(env, "ROLLOUT_DB_USER", "PGUSER");
        String password = first(env, "ROLLOUT_DB_PASSWORD", "PGPASSWORD");
        return new PostgresLocation(location, user, password);
    }

    private static String first(Map<String, String> env, String preferred, String fallback) {
        String v = env.get(preferred);
        if (v == null || v.isEmpty()) v = env.get(fallback);
        return v == null || v.isEmpty() ? null : v;
    }

    /** Connection properties: credentials and defaults the URL may override. */
    Properties properties() {
        Properties p = new Properties();
        if (user != null) p.setProperty("user", user);
        if (password != null) p.setProperty("password", password);
        p.setProperty("ApplicationName", "staged-rollout");
        p.setProperty("connectTimeout", "10");
        // a hung server must not hang a CI job forever; commits are small
        p.setProperty("socketTimeout", "60");
        return p;
    }

    /** Host, port and database, without parameters or credentials: "PostgreSQL store at db.example.com:5432/rollouts". */
    public String describe() {
        String rest = url.substring(PREFIX.length());
        int q = rest.indexOf('?');
        if (q >= 0) rest = rest.substring(0, q);
        if (rest.startsWith("//")) rest = rest.substring(2);
        return "PostgreSQL store at " + (rest.isEmpty() ? "the default server" : rest);
    }

    @Override
    public String toString() {
        return describe() + (user == null ? "" : " as " + user);
    }
}
