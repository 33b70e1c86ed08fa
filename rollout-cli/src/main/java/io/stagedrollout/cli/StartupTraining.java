package io.stagedrollout.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * The workload the {@code ./rollout} launcher records a start-up archive from (JDK 25: an AOT cache, JDK 17: an
 * AppCDS archive): the everyday commands, run in this JVM against a throw-away store, so that the classes they load
 * (and on JDK 25 how they were linked and profiled) are ready at the next start. Touches nothing outside a temporary
 * directory; prints nothing. Its gates are commands, not HTTP: every class in the archive is loaded at every start,
 * and the HTTP client and TLS stack (some 500 classes) would cost every short command about 50 ms to save a gate
 * that waits on the network anyway (BENCHMARKS.md, "CLI start-up").
 */
final class StartupTraining implements Callable<Integer>, CommandModel.Declared {
    static final String NAME = "train-startup-cache";

    /**
     * Which commands the archive is for. {@code all}: every everyday command, JSON output included. {@code text}:
     * the commands that look and drive printing text (status, list, history, start, advance, promote, rollback, run,
     * help), which build no data binding: their archive leaves out its ~1,000 classes, and every class in an archive
     * costs each start that uses it (BENCHMARKS.md, "CLI start-up, fourth round").
     */
    enum Family { all, text }

    Family family;
    Path kept;

    @Override
    public void declare(CommandModel m) {
        m.command(NAME, "Record what the everyday commands load (used by the launcher).");
        m.spec.usageMessage().hidden(true);
        m.option("--family", "all|text", "all or text").defaultValue("all").to(Family.class, v -> family = v);
        m.option("--keep-in", "DIR", "Keep the training store here; default: a temporary directory, deleted after.")
                .toPath(v -> kept = v);
    }

    @Override
    public Integer call() throws Exception {
        Path dir = kept != null ? Files.createDirectories(kept) : Files.createTempDirectory("rollout-training");
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        try {
            Path plan = Files.writeString(dir.resolve("plan.yaml"), """
                    service: training
                    environment: local
                    rings:
                      - {name: canary, exposure: 10%, bake: 0s, gates: [health], approval: manual}
                      - {name: everyone, exposure: 100%, bake: 0s, gates: [health]}
                    gates:
                      health: {kind: command, command: ["true"], timeout: 10s}
                    actions:
                      deploy: {kind: command, command: ["true"]}
                      revert: {kind: command, command: ["true"]}
                    planning: {requestsPerSecond: 100, baselineErrorRate: 0.01}
                    """);
            String store = dir.resolve(family == Family.text ? "text" : "state").toString();
            String key = "training/local";
            List<String[]> commands = family == Family.text ? List.of(
                    new String[] {"--help"},
                    new String[] {"status", "--help"},
                    new String[] {"statsu"},
                    new String[] {"start", plan.toString(), "--version", "1.0.1"},
                    new String[] {"advance", "--rollout", key},
                    new String[] {"promote", "--rollout", key, "--ring", "canary", "--note", "training"},
                    new String[] {"advance", "--rollout", key},
                    new String[] {"history", "--rollout", key},
                    new String[] {"rollback", "--rollout", key, "--reason", "training"},
                    new String[] {"run", plan.toString(), "--version", "1.0.2", "--auto-approve"},
                    // left waiting for approval, with a lease: what `status` most often reads
                    new String[] {"start", plan.toString(), "--version", "1.0.3"},
                    new String[] {"advance", "--rollout", key},
                    new String[] {"status", "--rollout", key},
                    new String[] {"status", "--rollout", "training/elsewhere"},
                    new String[] {"list"})
                    : List.of(
                    new String[] {"--help"},
                    new String[] {"status", "--help"},
                    new String[] {"statsu"},
                    new String[] {"plan", plan.toString()},
                    new String[] {"plan", plan.toString(), "--output", "json"},
                    new String[] {"start", plan.toString(), "--version", "1.0.1", "--stable-version", "1.0.0"},
                    new String[] {"status", "--rollout", key},
                    new String[] {"status", "--rollout", key, "--output", "json"},
                    new String[] {"advance", "--rollout", key, "--output", "json"},
                    new String[] {"status", "--rollout", key},
                    new String[] {"promote", "--rollout", key, "--ring", "canary", "--note", "training"},
                    new String[] {"advance", "--rollout", key},
                    new String[] {"history", "--rollout", key},
                    new String[] {"history", "--rollout", key, "--output", "json"},
                    new String[] {"list"},
                    new String[] {"list", "--output", "json"},
                    new String[] {"report", "--rollout", key, "--format", "markdown"},
                    new String[] {"rollback", "--rollout", key, "--reason", "training"},
                    new String[] {"run", plan.toString(), "--version", "1.0.2", "--auto-approve", "--output", "json"},
                    new String[] {"start", plan.toString(), "--version", "1.0.3"},
                    new String[] {"advance", "--rollout", key});
            System.setOut(nowhere);
            System.setErr(nowhere);
            for (String[] c : commands) {
                String[] args = Stream.concat(Stream.of(c), Stream.of("--state-dir", store)).toArray(String[]::new);
                if (c[0].startsWith("-") || c[0].equals("statsu")) args = c;
                RolloutCommand.execute(args);
            }
            return ExitCode.OK;
        } finally {
            System.setOut(out);
            System.setErr(err);
            if (kept == null) delete(dir);
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
