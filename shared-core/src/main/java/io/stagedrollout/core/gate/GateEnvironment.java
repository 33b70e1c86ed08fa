package io.stagedrollout.core.gate;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What gate probes may use from the world. Secrets (tokens, passwords) are read from {@code env} by name at
 * measurement time; they never appear in plans, state or journals.
 *
 * @param env     environment variables (the process environment, or Jenkins credentials bound as variables)
 * @param workDir where relative paths and commands in gates are resolved
 */
public record GateEnvironment(Map<String, String> env, Path workDir, HttpClient http, Clock clock) {
    public static GateEnvironment system(Path workDir) {
        return new GateEnvironment(System.getenv(), workDir,
                io.stagedrollout.core.net.LazyHttpClient.withConnectTimeout(java.time.Duration.ofSeconds(5)), Clock.systemUTC());
    }

    /** The same environment on another clock (the engine's: a fake clock in a test must be the only clock). */
    public GateEnvironment withClock(Clock other) {
        return new GateEnvironment(env, workDir, http, other);
    }
}
