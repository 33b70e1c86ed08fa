package io.stagedrollout.cli;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * While a command drives a rollout: when the process is stopped (Ctrl-C, SIGTERM) before the command ends, says
 * where the rollout was left and how to go on. The JVM's exit status stays the signal's (130 for Ctrl-C). The
 * rollout itself is as durable as every commit made it; this only tells the person.
 */
final class InterruptNotice implements AutoCloseable {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

    private final Thread hook;
    private volatile boolean done;

    /**
     * @param resume the command that resumes (quoted for a POSIX shell here), or null when there is nothing to
     *               resume (a status --wait changes nothing)
     */
    InterruptNotice(RolloutStore store, RolloutKey key, List<String> resume, PrintStream err, boolean terminal) {
        hook = new Thread(() -> {
            if (done) return;
            String where = describe(read(store, key), key);
            err.print((terminal ? "\r\033[K" : "") + "\ninterrupted: " + where + "\n");
            if (resume != null) err.println("to go on: " + command(resume));
            err.flush();
        }, "interrupt-notice");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The rollout as stored, read within two seconds (a store that hangs must not hold up the exit). */
    private static Optional<RolloutState> read(RolloutStore store, RolloutKey key) {
        CompletableFuture<Optional<RolloutState>> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(store.read(key));
            } catch (Exception | Error e) {
                f.complete(Optional.empty());
            }
        }, "interrupt-notice-read");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    static String describe(Optional<RolloutState> read, RolloutKey key) {
        if (read.isEmpty()) return key + " (its state could not be read)";
        RolloutState s = read.get();
        String ring = s.ringIndex() < 0 ? "" : " in ring " + s.ringName() + " (" + (s.ringIndex() + 1) + " of " + s.plan().rings().size() + ")";
        String what = key + " " + s.version() + " was left " + s.status() + ring;
        return what + switch (s.status()) {
            case BAKING -> "; nobody measures its gates until it is resumed";
            case DEPLOYING -> "; the deploy runs again when it is resumed (actions are idempotent)";
            case ROLLING_BACK -> "; the revert runs again when it is resumed";
            case AWAITING_APPROVAL -> "; it waits for a person (" + s.hold() + ")";
            default -> s.status() == Status.PENDING || s.status() == Status.PROMOTING ? "; the next ring is not deployed yet" : "";
        };
    }

    /** A command line a person can paste: every argument that is not plain is single-quoted for a POSIX shell. */
    static String command(List<String> args) {
        StringBuilder sb = new StringBuilder("rollout");
        for (String a : args) {
            String shown = new Problem("", 0, a).message(); // no raw control characters on the terminal
            sb.append(' ').append(PLAIN.matcher(shown).matches() ? shown : "'" + shown.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    @Override
    public void close() {
        done = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook sees done
        }
    }
}
