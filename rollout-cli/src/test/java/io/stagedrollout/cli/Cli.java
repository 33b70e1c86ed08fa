package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the built {@code rollout.jar} as a process, the way users and CI jobs do. */
final class Cli {
    static final Path JAR = Path.of(System.getProperty("rollout.jar", "target/rollout.jar")).toAbsolutePath();

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new AssertionError("stdout is not one JSON object: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private final Path dir;
    private final Map<String, String> env;

    Cli(Path dir, Map<String, String> env) {
        this.dir = dir;
        this.env = env;
    }

    Process start(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", JAR.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectInput(new File("/dev/null"));
        pb.environment().remove("GITLAB_CI");
        pb.environment().remove("GITHUB_ACTIONS");
        // a CI container may set no USER; these tests are not about the actor (EverydayCliTest is), so name one
        if (System.getenv("USER") == null && System.getenv("LOGNAME") == null) pb.environment().put("USER", "tester");
        pb.environment().putAll(env);
        return pb.start();
    }

    Result run(String... args) throws Exception {
        Process p = start(args);
        var out = p.getInputStream();
        var err = p.getErrorStream();
        var errText = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                errText.complete(e.toString());
            }
        });
        t.start();
        String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(240, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("rollout " + String.join(" ", args) + " did not finish");
        }
        return new Result(p.exitValue(), o, errText.get(10, TimeUnit.SECONDS));
    }

    Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }
}
