package io.stagedrollout.cli.proof;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code rollout.jar} (built by {@code package}) as a child process, the way users and CI run it. */
final class Cli {
    record Result(int exit, String stdout, String stderr) {
        String all() {
            return stdout + "\n" + stderr;
        }
    }

    /** A started process whose output is being collected. */
    record Running(Process process, CompletableFuture<String> stdout, CompletableFuture<String> stderr) {
        Result await(long seconds) throws Exception {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("rollout did not finish within " + seconds + " s: " + stderr.getNow(""));
            }
            return new Result(process.exitValue(), stdout.get(10, TimeUnit.SECONDS), stderr.get(10, TimeUnit.SECONDS));
        }
    }

    private Cli() {}

    static Path jar() {
        String p = System.getProperty("rollout.jar", "target/rollout.jar");
        Path jar = Path.of(p);
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("build the CLI first: " + jar + " is missing");
        return jar;
    }

    static Running start(Path workDir, Map<String, String> env, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // quick start-up: these tests start many short-lived JVMs on a small machine
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
                "-jar", jar().toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
        pb.environment().remove("ROLLOUT_STORE");
        pb.environment().remove("ROLLOUT_STATE_DIR");
        pb.environment().remove("ROLLOUT_DEBUG");
        // a CI container may set no USER; these tests are not about the actor (EverydayCliTest is), so name one
        if (System.getenv("USER") == null && System.getenv("LOGNAME") == null) pb.environment().put("USER", "tester");
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        return new Running(p, drain(p.getInputStream()), drain(p.getErrorStream()));
    }

    static Result run(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        return start(workDir, env, args).await(timeoutSeconds);
    }

    static Result run(Path workDir, String... args) throws Exception {
        return run(workDir, Map.of(), 120, args);
    }

    private static CompletableFuture<String> drain(InputStream in) {
        // a thread per stream: the common pool may have a single thread on a small machine, and a full pipe blocks the child
        CompletableFuture<String> out = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                out.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.complete("");
            }
        }, "cli-output");
        t.setDaemon(true);
        t.start();
        return out;
    }
}
