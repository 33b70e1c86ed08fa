package io.stagedrollout.core.action;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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
 * its output streamed line by line. Shared by the command gate and the command action.
 */
public final class Processes {
    private Processes() {}

    /** @param exitCode -1 when the program could not start or timed out */
    public record Outcome(int exitCode, boolean timedOut, String startError, List<String> tail) {
        public boolean ok() {
            return exitCode == 0;
        }

        public String describe(String program) {
            if (startError != null) return "could not start " + program + ": " + startError;
            if (timedOut) return program + " did not finish in time and was stopped";
            // the program's words go to the journal and every report: printable, without credentials it may have echoed
            String last = tail.isEmpty() ? "" : " (last output: " + io.stagedrollout.core.text.Printable.escape(
                    io.stagedrollout.core.text.Redact.text(tail.get(tail.size() - 1))) + ")";
            return program + " exited with " + exitCode + last;
        }
    }

    public static Outcome run(List<String> command, Path workDir, Map<String, String> baseEnv,
            Map<String, String> extraEnv, Duration timeout, Consumer<String> output) throws InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) pb.directory(workDir.toFile());
        Map<String, String> env = pb.environment();
        if (baseEnv != System.getenv()) {
            env.clear();
            env.putAll(baseEnv);
        }
        env.putAll(extraEnv);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Outcome(-1, false, e.getMessage(), List.of());
        }
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
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(1000);
                return new Outcome(-1, true, null, snapshot(tail));
            }
            reader.join(5000);
            return new Outcome(p.exitValue(), false, null, snapshot(tail));
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw e;
        }
    }

    private static List<String> snapshot(Deque<String> tail) {
        synchronized (tail) {
            return List.copyOf(tail);
        }
    }
}
