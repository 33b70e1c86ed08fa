package io.stagedrollout.bench;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Detection latency, end to end: the real engine bakes a ring whose {@code metrics} gate scrapes a local OpenMetrics
 * endpoint every {@code interval}; at a random instant the endpoint's error ratio crosses the gate's threshold (from
 * 0 to 50% errors); we time from that instant to the moment the revert action (a webhook) reaches the server, and
 * report it against the gate interval. Usage: {@code java -cp bench/target/detection-bench.jar
 * io.stagedrollout.bench.DetectionLatencyBench [trials] [interval-ms ...]} (default: 12 trials at 1000 and 3000 ms).
 */
public final class DetectionLatencyBench {
    private static final double RATE = 1000; // requests per second the endpoint's counters pretend to serve
    private static final double BAD_ERROR_RATIO = 0.5;

    private final AtomicLong t0 = new AtomicLong();
    private final AtomicLong badSinceNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong revertAtNanos = new AtomicLong();
    private final AtomicInteger scrapes = new AtomicInteger();
    private final HttpServer server;

    private DetectionLatencyBench() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/metrics", ex -> {
            long now = System.nanoTime();
            scrapes.incrementAndGet();
            double total = RATE * (now - t0.get()) / 1e9;
            long bad = badSinceNanos.get();
            double errors = now > bad ? RATE * BAD_ERROR_RATIO * (now - bad) / 1e9 : 0;
            byte[] body = String.format(Locale.ROOT, "# TYPE requests counter%nrequests_total %.3f%n# TYPE errors counter%nerrors_total %.3f%n# EOF%n",
                    total, errors).getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.createContext("/deploy", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.createContext("/revert", ex -> {
            revertAtNanos.compareAndSet(0, System.nanoTime());
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 12;
        List<Long> intervals = new ArrayList<>();
        for (int i = 1; i < args.length; i++) intervals.add(Long.parseLong(args[i]));
        if (intervals.isEmpty()) intervals = List.of(1000L, 3000L);
        DetectionLatencyBench bench = new DetectionLatencyBench();
        Random random = new Random(20261126);
        System.out.println("| gate interval | trials | detection latency: median | mean | p90 | max | median / interval | mean / interval |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        try {
            for (long interval : intervals) {
                double[] latencies = new double[trials];
                for (int t = 0; t < trials; t++) latencies[t] = bench.trial(interval, random);
                Arrays.sort(latencies);
                double median = latencies[trials / 2];
                double mean = Arrays.stream(latencies).average().orElse(Double.NaN);
                double p90 = latencies[(int) Math.ceil(0.9 * trials) - 1];
                System.out.printf(Locale.ROOT, "| %d ms | %d | %.0f ms | %.0f ms | %.0f ms | %.0f ms | %.2f | %.2f |%n", interval, trials,
                        median, mean, p90, latencies[trials - 1], median / interval, mean / interval);
            }
        } finally {
            bench.server.stop(0);
        }
    }

    /** One bake: returns the milliseconds from the threshold crossing to the revert action's request. */
    private double trial(long intervalMillis, Random random) throws Exception {
        Path dir = Files.createTempDirectory("detection-latency");
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        RolloutPlan plan = PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 10m, gates: [error-rate]}
                  - {name: everyone, exposure: 100%, bake: 10m, gates: [error-rate]}
                gates:
                  error-rate: {kind: metrics, endpoint: 'BASE/metrics', errors: errors_total, total: requests_total,
                               max: 0.05, interval: INTERVALms, window: 200ms, timeout: 2s}
                actions:
                  deploy: {kind: webhook, url: 'BASE/deploy'}
                  revert: {kind: webhook, url: 'BASE/revert'}
                """.replace("BASE", base).replace("INTERVAL", Long.toString(intervalMillis)));
        badSinceNanos.set(Long.MAX_VALUE);
        revertAtNanos.set(0);
        scrapes.set(0);
        t0.set(System.nanoTime());
        Actor actor = new Actor("bench", "cli", null);
        RolloutKey key = new RolloutKey("checkout", "production");
        try (FileRolloutStore store = new FileRolloutStore(dir);
                RolloutEngine engine = new RolloutEngine(store, RolloutEngine.Runtime.system(dir), Clock.systemUTC(), EngineListener.NONE)) {
            engine.start(plan, "2.0.0", "1.0.0", actor);
            Thread baker = new Thread(() -> {
                try {
                    engine.advance(key, actor);
                } catch (Exception e) {
                    e.printStackTrace();
                }
            });
            baker.start();
            // let the gate pass a few measurements (the first takes two scrapes), then cross at a random phase
            while (scrapes.get() < 4) Thread.sleep(5);
            Thread.sleep((long) (random.nextDouble() * intervalMillis));
            long crossed = System.nanoTime();
            badSinceNanos.set(crossed);
            baker.join(60_000 + 10 * intervalMillis);
            EngineResult end = new EngineResult(EngineResult.Kind.APPLIED, store.read(key).orElseThrow(), "");
            if (end.state().status() != Status.ROLLED_BACK || revertAtNanos.get() == 0) {
                throw new IllegalStateException("the bad version was not reverted: " + end.state().status() + " " + end.state().reason());
            }
            return (revertAtNanos.get() - crossed) / 1e6;
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
