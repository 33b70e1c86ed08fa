package io.stagedrollout.cli;

import java.math.BigDecimal;
import java.util.Set;
import java.util.UUID;

/**
 * JDK start-up work a command is about to need, done on a second core while the main thread builds and parses the
 * command line (BENCHMARKS.md, "CLI start-up, fourth round"). Only JDK classes are initialised here, never the tool's
 * own or a library's, so the two threads cannot deadlock on each other's class initialisation; the main thread
 * waits for nothing: whatever is not ready yet it does itself, as before.
 */
final class WarmUp {
    /** Commands that change a rollout: they draw random ids (rollouts, leases, drivers). */
    private static final Set<String> CHANGING = Set.of("start", "run", "advance", "promote", "rollback", "abort",
            "resolve", "demo");
    /** Commands that run a plan's actions as processes. */
    private static final Set<String> RUNNING = Set.of("run", "advance", "rollback", "demo");

    private WarmUp() {}

    static void start(String command) {
        if (Runtime.getRuntime().availableProcessors() < 2 || System.getenv("ROLLOUT_NO_WARM_UP") != null) return;
        Thread warm = new Thread(() -> run(command), "warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    private static void run(String command) {
        // every command reads JSON, and jackson-core's parser loads BigDecimal, whose initialisation on JDK 25
        // computes 5^(2^16): some 20 ms
        BigDecimal.ONE.signum();
        if (command == null || !CHANGING.contains(command)) return;
        UUID.randomUUID(); // the first one sets up SecureRandom and the security providers: about 10 ms
        if (!RUNNING.contains(command)) return;
        // starting the first process sets up the platform logger (the JDK logs process starts) and process handles:
        // some 30 ms
        System.getLogger(ProcessBuilder.class.getName()).isLoggable(System.Logger.Level.DEBUG);
        ProcessHandle.current().pid();
    }
}
