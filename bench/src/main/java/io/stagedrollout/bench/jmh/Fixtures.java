package io.stagedrollout.bench.jmh;

import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.Decision;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Comparator;
import java.util.stream.Stream;

/** Realistic rollout states and events for the store benchmarks, made by the real plan reader and state machine. */
final class Fixtures {
    static final Actor ACTOR = new Actor("bench", "cli", null);
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final String PLAN = """
            service: SERVICE
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate, smoke]}
              - {name: early-adopters, exposure: 25%, bake: 30m, gates: [error-rate], approval: manual}
              - {name: everyone, exposure: 100%, bake: 30m, gates: [error-rate]}
            gates:
              error-rate: {kind: metrics, endpoint: 'http://127.0.0.1:8080/metrics', errors: errors_total, total: requests_total, max: 0.01, interval: 30s, failureLimit: 1}
              smoke: {kind: http, url: 'http://127.0.0.1:8080/healthz', timeout: 2s}
            actions:
              deploy: {kind: command, command: [./deploy.sh]}
              revert: {kind: command, command: [./deploy.sh, --revert]}
            """;

    private Fixtures() {}

    static RolloutPlan plan(String service) {
        try {
            return PlanReader.parse(PLAN.replace("SERVICE", service));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A started rollout (revision 1) of {@code service}/production. */
    static RolloutState started(String service) {
        Decision d = RolloutMachine.apply(null, new Command.Start(plan(service), "2.0.0", "1.0.0", "r-" + service, ACTOR), T0);
        return ((Decision.Applied) d).state();
    }

    /** A journal event of the size a real one has (a measurement with its evidence). */
    static RolloutEvent event(RolloutState s, long revision) {
        return new RolloutEvent(revision, s.id(), T0.plusSeconds(revision), "MEASURED", ACTOR, s.status(), s.status(), "canary",
                "error-rate PASS: error ratio 0.0042 <= 0.01 (21 of 5000 requests)",
                java.util.Map.of("errors", 21.0, "total", 5000.0, "deltaErrors", 21.0, "deltaTotal", 5000.0));
    }

    /** The baseline commit: the same bytes, written the same durable way, with nothing else (no lock, no read, no CAS). */
    static void bareCommit(Path dir, byte[] state, byte[] journalLine) throws IOException {
        try (FileChannel ch = FileChannel.open(dir.resolve("journal.jsonl"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            write(ch, journalLine);
            ch.force(true);
        }
        Path tmp = dir.resolve("state.json.tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            write(ch, state);
            ch.force(true);
        }
        Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    private static void write(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) ch.write(b);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Path tempDir(String prefix) {
        try {
            // next to the working directory, not /tmp: /tmp may be a tmpfs where fsync costs nothing
            return Files.createTempDirectory(Path.of(System.getProperty("bench.dir", ".")).toAbsolutePath(), prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
