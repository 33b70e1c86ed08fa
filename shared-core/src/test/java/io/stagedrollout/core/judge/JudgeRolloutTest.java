package io.stagedrollout.core.judge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.report.ReportFormats;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A judge gate end to end: the real engine and file store drive a plan whose canary ring is judged against a
 * local HTTP source, and the three reports are rendered from the stored journal.
 */
class JudgeRolloutTest {
    @TempDir Path dir;
    HttpServer server;
    volatile double canaryMean;

    /** A clock that only moves when the engine sleeps, so a 2-minute bake takes no time. */
    static final class FakeClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T04:00:00Z"));

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) server.stop(0);
    }

    RolloutPlan plan(int port) throws Exception {
        return PlanReader.parse("""
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 2m, gates: [latency-judge]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  latency-judge:
                    kind: judge
                    interval: 30s
                    failureLimit: 1
                    metrics:
                      - name: p99-latency
                        source: {kind: http, url: "http://127.0.0.1:PORT/samples?version={{version}}"}
                        direction: increase
                        allowedIncrease: 1.1
                        criticalIncrease: 1.5
                      - name: throughput
                        source: {kind: http, url: "http://127.0.0.1:PORT/samples?metric=rps", canary: /rps/canary, baseline: /rps/baseline}
                        direction: decrease
                        weight: 0.5
                    pass: 95
                    marginal: 75
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.replace("PORT", String.valueOf(port)));
    }

    int serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        Random rnd = new Random(1);
        server.createContext("/samples", ex -> {
            StringBuilder c = new StringBuilder(), b = new StringBuilder(), rc = new StringBuilder(), rb = new StringBuilder();
            for (int i = 0; i < 40; i++) {
                String sep = i == 0 ? "" : ",";
                c.append(sep).append(canaryMean + rnd.nextGaussian() * 0.01);
                b.append(sep).append(0.2 + rnd.nextGaussian() * 0.01);
                rc.append(sep).append(100 + rnd.nextGaussian());
                rb.append(sep).append(100 + rnd.nextGaussian());
            }
            byte[] body = ("{\"canary\":[" + c + "],\"baseline\":[" + b + "],\"rps\":{\"canary\":[" + rc + "],\"baseline\":[" + rb + "]}}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    RolloutEngine engine(FakeClock clock) {
        GateEnvironment gates = new GateEnvironment(Map.of(), dir, HttpClient.newHttpClient(), clock);
        ActionEnvironment actions = new ActionEnvironment(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin")), dir,
                HttpClient.newHttpClient());
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), new RolloutEngine.Runtime(gates, actions), clock,
                d -> clock.now.updateAndGet(t -> t.plus(d)), EngineListener.NONE);
    }

    @Test
    void healthyCanaryIsPromotedToEveryone() throws Exception {
        canaryMean = 0.2;
        int port = serve();
        FakeClock clock = new FakeClock();
        try (RolloutEngine engine = engine(clock)) {
            RolloutPlan plan = plan(port);
            engine.start(plan, "2.1.0", "2.0.0", new Actor("ci", "test", null));
            RolloutKey key = new RolloutKey("checkout", "production");
            EngineResult r = engine.run(key, true, new Actor("ci", "test", null));
            assertThat(r.state().status()).isEqualTo(Status.COMPLETED);
            List<RolloutEvent> journal = engine.history(key);
            List<RolloutEvent> measured = journal.stream().filter(e -> e.type().equals(EventType.MEASURED)).toList();
            assertThat(measured).hasSizeGreaterThanOrEqualTo(4);
            assertThat(measured).allMatch(e -> "PASS".equals(e.evidence().get("outcome")));
            assertThat(measured.get(0).reason()).contains("score 100 (2 of 2 metrics passed, by weight) >= pass 95");
        }
    }

    @Test
    void slowerCanaryIsRolledBackAndTheReportsSayWhy() throws Exception {
        canaryMean = 0.4;
        int port = serve();
        FakeClock clock = new FakeClock();
        try (RolloutEngine engine = engine(clock)) {
            engine.start(plan(port), "2.2.0", "2.0.0", new Actor("ci", "test", null));
            RolloutKey key = new RolloutKey("checkout", "production");
            EngineResult r = engine.run(key, true, new Actor("ci", "test", null));
            RolloutState state = r.state();
            assertThat(state.status()).isEqualTo(Status.ROLLED_BACK);
            assertThat(state.reason()).contains("latency-judge failed 2 of 2 measurements, failureLimit 1",
                    "critical failure of p99-latency");
            List<RolloutEvent> journal = engine.history(key);

            String junit = ReportFormats.render("junit", state, journal);
            assertThat(junit).contains("name=\"latency-judge\"", "<failure type=\"FAIL\"", "critical failure of p99-latency");
            String md = ReportFormats.render("markdown", state, journal);
            assertThat(md).contains("| 1 | canary | 5% | 2m | failed | ❌ FAIL |", "criticalIncrease 1.5");
            String html = ReportFormats.render("html", state, journal);
            assertThat(html).contains("data-gate=\"latency-judge\"", "circle class=\"measurement outcome-fail\"", "marginal 75");
        }
    }
}
