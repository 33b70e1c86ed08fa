package io.stagedrollout.core.action;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs a program from an argument list — never through a shell — with extra environment variables, a timeout and
 * its output streamed line by line, in its own process group ({@link ProcessGroups}). Whatever it leaves running is
 * ended when it finishes, times out or is interrupted: SIGTERM to the group and to everything carrying its tag, then
 * SIGKILL after the grace period. Shared by the command gate and the command action.
 */
public final class Processes {
    private Processes() {}

    /**
     * @param exitCode -1 when the program could not start or timed out
     * @param leftovers how many processes the program left running, which were ended when it finished
     */
    public record Outcome(int exitCode, boolean timedOut, String startError, List<String> tail, int leftovers) {
        public Outcome(int exitCode, boolean timedOut, String startError, List<String> tail) {
            this(exitCode, timedOut, startError, tail, 0);
        }

        public boolean ok() {
            return exitCode == 0;
        }

        public String describe(String program) {
            if (startError != null) return "could not start " + program + ": " + startError;
            if (timedOut) return program + " did not finish in time and was stopped";
            // the program's words go to the journal and every report: printable, without credentials it may have echoed
            String last = tail.isEmpty() ? "" : " (last output: " + io.stagedrollout.core.text.Printable.escape(
                    io.stagedrollout.core.text.Redact.text(tail.get(tail.size() - 1))) + ")";
            String left = leftovers == 0 ? "" : "; the " + leftovers + " process" + (leftovers == 1 ? "" : "es")
                    + " it left running were ended";
            return program + " exited with " + exitCode + last + left;
        }
    }

    public static Outcome run(List<String> command, Path workDir, Map<String, String> baseEnv,
            Map<String, String> extraEnv, Duration timeout, Consumer<String> output) throws InterruptedException {
        return run(command, workDir, baseEnv, extraEnv, timeout, output, ProcessControl.tagged("process"));
    }

    /**
     * Runs {@code command}, tagged and stopped as {@code control} says. On interruption the program's group is
     * ended (SIGTERM, the grace period, SIGKILL) before the InterruptedException is thrown, so a caller that stops
     * an effect knows nothing of it runs any more.
     */
    public static Outcome run(List<String> command, Path workDir, Map<String, String> baseEnv,
            Map<String, String> extraEnv, Duration timeout, Consumer<String> output, ProcessControl control)
            throws InterruptedException {
        Map<String, String> childEnv = new java.util.HashMap<>(baseEnv);
        childEnv.putAll(extraEnv);
        childEnv.put(ProcessControl.TAG_VARIABLE, control.tag());
        String missing = unrunnable(command.get(0), workDir, childEnv.get("PATH"));
        if (missing != null) return new Outcome(-1, false, missing, List.of());
        ProcessBuilder pb = new ProcessBuilder(ProcessGroups.wrap(command, timeout, control.stopGrace())).redirectErrorStream(true);
        if (workDir != null) pb.directory(workDir.toFile());
        pb.environment().clear();
        pb.environment().putAll(childEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, false, e.getMessage(), List.of());
        }
        // with setsid the program leads a group of its own whose id is its pid; without, it has no group to signal
        long group = ProcessGroups.available() ? p.pid() : -1;
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line.length() > 500 ? line.substring(0, 500) + "…" : line);
                        if (tail.size() > 20) tail.removeFirst();
                    }
                    output.accept(line);
                }
            } catch (IOException ignored) {
                // the process closed its output; nothing more to read
            }
        }, "output of " + command.get(0));
        reader.setDaemon(true);
        reader.start();
        long started = System.nanoTime();
        try {
            // `timeout` ends the group at the limit; the driver's own limit is the backstop where it is missing
            Duration backstop = timeout.plus(control.stopGrace()).plusSeconds(5);
            if (!p.waitFor(backstop.toMillis(), TimeUnit.MILLISECONDS)) {
                endAll(p, group, control);
                reader.join(1000);
                return new Outcome(-1, true, null, snapshot(tail), 0);
            }
            int code = p.exitValue();
            int leftovers = endAll(p, group, control);
            reader.join(5000);
            boolean timedOut = ProcessGroups.timedOut(code)
                    && System.nanoTime() - started >= timeout.toNanos() - TimeUnit.MILLISECONDS.toNanos(50);
            return new Outcome(timedOut ? -1 : code, timedOut, null, snapshot(tail), leftovers);
        } catch (InterruptedException e) {
            endAll(p, group, control);
            throw e;
        }
    }

    /** Ends the program's group and everything tagged as it; returns how many processes were still running. */
    private static int endAll(Process p, long group, ProcessControl control) {
        int ended = ProcessGroups.endStartedHere(group, control.tag(), control.stopGrace());
        if (p.isAlive()) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        try {
            p.waitFor(5, TimeUnit.SECONDS); // reap it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ended;
    }

    /**
     * Why {@code program} cannot run, or null: checked before starting, because behind the process-group wrapper
     * a missing program would only show as an exit code. Relative paths are resolved as the child would.
     */
    static String unrunnable(String program, Path workDir, String path) {
        if (program == null || program.isEmpty()) return "no program given";
        if (program.indexOf('/') >= 0) {
            Path f = Path.of(program);
            if (!f.isAbsolute() && workDir != null) f = workDir.resolve(f);
            if (!Files.exists(f)) return "No such file or directory";
            if (!Files.isRegularFile(f) || !Files.isExecutable(f)) return "Permission denied";
            return null;
        }
        for (String dir : (path == null ? "/usr/local/bin:/usr/bin:/bin" : path).split(":")) {
            Path f = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            if (!f.isAbsolute() && workDir != null) f = workDir.resolve(f);
            if (Files.isRegularFile(f) && Files.isExecutable(f)) return null;
        }
        return "No such file or directory (not found on PATH)";
    }

    private static List<String> snapshot(Deque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
