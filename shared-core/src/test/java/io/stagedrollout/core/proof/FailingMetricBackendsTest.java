package io.stagedrollout.core.proof;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.LocalHttpServer;
import io.stagedrollout.core.testing.LocalHttpServer.Answer;
import io.stagedrollout.core.testing.TestRollouts;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Metric backends that fail in every way we know, end to end through the engine (real HTTP, real file store, real
 * command actions, a fake clock): no fault is ever a PASS; errors are tolerated up to consecutiveErrorLimit and then
 * hold the ring for a person (or revert it, when the ring says onInconclusive: revert); a bad answer that is an
 * answer (slow beyond maxLatency, a wrong field value) fails the ring and reverts it.
 */
class FailingMetricBackendsTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final int ERROR_LIMIT = 2;

    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(T0);
    LocalHttpServer backend;
    String store = "state";

    @BeforeEach
    void startBackend() throws Exception {
        backend = new LocalHttpServer();
    }

    @AfterEach
    void stopBackend() {
        backend.close();
    }

    /** How the plan should end: held for a person with measurements ERROR or INCONCLUSIVE, or reverted after a FAIL. */
    enum End { HELD_AFTER_ERRORS, HELD_INCONCLUSIVE, REVERTED_ON_FAIL }

    record Fault(String name, String gate, Answer answer, End end) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final String METRICS = "{kind: metrics, endpoint: URL, errors: errors_total, total: requests_total, max: 0.05, "
            + "window: 50ms, timeout: 300ms, interval: 30s, consecutiveErrorLimit: " + ERROR_LIMIT + "}";
    static final String HTTP = "{kind: http, url: URL, timeout: 300ms, interval: 30s, consecutiveErrorLimit: " + ERROR_LIMIT + "}";
    static final String HTTP_JSON = "{kind: http, url: URL, timeout: 300ms, interval: 30s, json: {pointer: /status, equals: UP}, "
            + "consecutiveErrorLimit: " + ERROR_LIMIT + "}";

    static Stream<Fault> faults() {
        return Stream.of(
                new Fault("metrics: 503", METRICS, new Answer(503, "overloaded", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: 500 with a valid-looking body", METRICS, new Answer(500, "requests_total 100\nerrors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: timeout", METRICS, new Answer(200, "requests_total 100\n", 1500), End.HELD_AFTER_ERRORS),
                new Fault("metrics: malformed body", METRICS, new Answer(200, "<html>\u0000{{not metrics", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: empty body", METRICS, new Answer(200, "", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: NaN", METRICS, new Answer(200, "requests_total NaN\nerrors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: +Inf", METRICS, new Answer(200, "requests_total +Inf\nerrors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: wrong type (text value)", METRICS, new Answer(200, "requests_total many\nerrors_total few\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: wrong series only", METRICS, new Answer(200, "other_total 5\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: a malformed line of an asked-for series", METRICS, new Answer(200,
                        "requests_total{pod=\"a\"} 100\nrequests_total{pod=\"b\" 50\nerrors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: an asked-for line longer than 64 KiB", METRICS, new Answer(200,
                        "requests_total{path=\"" + "x".repeat(70_000) + "\"} 100\nerrors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: more series than a selector may match", METRICS, new Answer(200,
                        manySeries(10_001) + "errors_total 0\n", 0), End.HELD_AFTER_ERRORS),
                new Fault("metrics: counters that never move", METRICS, new Answer(200, "requests_total 100\nerrors_total 0\n", 0), End.HELD_INCONCLUSIVE),
                new Fault("http: 503", HTTP, new Answer(503, "down", 0), End.REVERTED_ON_FAIL),
                new Fault("http: timeout", HTTP, new Answer(200, "ok", 1500), End.HELD_AFTER_ERRORS),
                new Fault("http: slow beyond maxLatency", HTTP.replace("timeout: 300ms", "timeout: 2s, maxLatency: 100ms"),
                        new Answer(200, "ok", 400), End.REVERTED_ON_FAIL),
                new Fault("http: malformed JSON", HTTP_JSON, new Answer(200, "{\"status\": UP", 0), End.HELD_AFTER_ERRORS),
                new Fault("http: NaN in JSON", HTTP_JSON, new Answer(200, "{\"status\": NaN}", 0), End.HELD_AFTER_ERRORS),
                new Fault("http: empty JSON", HTTP_JSON, new Answer(200, "{}", 0), End.HELD_INCONCLUSIVE),
                new Fault("http: empty body", HTTP_JSON, new Answer(200, "", 0), End.HELD_INCONCLUSIVE),
                new Fault("http: terminal escapes in the answer", HTTP_JSON, new Answer(200, "{\"status\": \"UP\\u001b[2K\\r\\nUP\"}", 0),
                        End.REVERTED_ON_FAIL),
                new Fault("http: wrong type of field", HTTP_JSON, new Answer(200, "{\"status\": {\"UP\": true}}", 0), End.REVERTED_ON_FAIL));
    }

    static String manySeries(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append("requests_total{pod=\"p").append(i).append("\"} 1\n");
        return sb.toString();
    }

    static Stream<Arguments> faultsAndRingPolicies() {
        return faults().flatMap(f -> Stream.of(Arguments.of(f, "hold"), Arguments.of(f, "revert")));
    }

    @ParameterizedTest(name = "{0}, onInconclusive: {1}")
    @MethodSource("faultsAndRingPolicies")
    void aFailingBackendIsNeverAPassAndTheRingEndsAsThePlanSays(Fault fault, String onInconclusive) throws Exception {
        backend.on("/m", () -> fault.answer());
        RolloutState s = runOneRing(fault.gate().replace("URL", backend.url("/m")), onInconclusive);

        assertThat(measurements()).as("measurements").isNotEmpty().noneMatch(e -> e.reason() != null && e.reason().contains(" PASS"));
        assertThat(measurements()).as("what a backend answered is journaled printable")
                .noneMatch(e -> e.reason() != null && e.reason().codePoints().anyMatch(io.stagedrollout.core.text.Printable::unsafe));
        assertThat(s.verdict()).as("the ring has a verdict").isNotNull();
        GateProgress tallies = s.verdict().gates().get(0).progress();
        assertThat(tallies.passed()).as("passed measurements").isZero();
        switch (fault.end()) {
            case HELD_AFTER_ERRORS -> {
                assertThat(tallies.errors()).as("consecutiveErrorLimit %d: one error more concludes", ERROR_LIMIT).isEqualTo(ERROR_LIMIT + 1);
                assertHeldOrReverted(s, onInconclusive);
            }
            case HELD_INCONCLUSIVE -> assertHeldOrReverted(s, onInconclusive);
            case REVERTED_ON_FAIL -> assertReverted(s);
        }
    }

    @Test
    void aRefusedConnectionIsAnErrorAndHoldsTheRing() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        for (String gate : List.of(METRICS, HTTP)) {
            Files.deleteIfExists(dir.resolve("actions.log"));
            RolloutState s = runOneRing(gate.replace("URL", "http://127.0.0.1:" + closedPort + "/m"), "hold");
            assertThat(s.verdict().gates().get(0).progress().errors()).isEqualTo(ERROR_LIMIT + 1);
            assertThat(s.verdict().gates().get(0).progress().passed()).isZero();
            assertHeldOrReverted(s, "hold");
            store = "state-" + gate.hashCode(); // the next gate starts its own rollout
        }
    }

    @Test
    void errorsBelowTheLimitAreToleratedAndAHealthyBackendThenPasses() throws Exception {
        int[] calls = {0};
        // a healthy answer gets 3s (a loaded machine must not make it a timeout); the late ones come after 6s
        backend.on("/m", () -> ++calls[0] <= ERROR_LIMIT ? new Answer(200, "late", 6000) : Answer.ok("ok"));
        RolloutState s = runOneRing(HTTP.replace("URL", backend.url("/m")).replace("timeout: 300ms", "timeout: 3s"), "hold");
        assertThat(s.status()).isEqualTo(Status.COMPLETED);
        assertThat(s.verdict().gates().get(0).progress().errors()).isEqualTo(ERROR_LIMIT);
    }

    private void assertHeldOrReverted(RolloutState s, String onInconclusive) throws Exception {
        if (onInconclusive.equals("revert")) {
            assertReverted(s);
        } else {
            assertThat(s.status()).isEqualTo(Status.AWAITING_APPROVAL);
            assertThat(s.hold()).isEqualTo("inconclusive");
            assertThat(actions()).containsExactly("deploy 2.0.0");
        }
    }

    private void assertReverted(RolloutState s) throws Exception {
        assertThat(s.status()).isEqualTo(Status.ROLLED_BACK);
        assertThat(actions()).containsExactly("deploy 2.0.0", "revert 1.0.0");
    }

    /** Runs one 100% ring baking 2m with the gate, measured every 30s, to its verdict. */
    private RolloutState runOneRing(String gate, String onInconclusive) throws Exception {
        var plan = TestRollouts.plan("""
                service: checkout
                environment: production
                rings:
                  - {name: all, exposure: 100%, bake: 2m, gates: [g], onInconclusive: POLICY}
                gates:
                  g: GATE
                actions:
                  deploy: {kind: command, command: [sh, -c, 'echo "deploy $ROLLOUT_VERSION" >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo "revert $ROLLOUT_VERSION" >> actions.log']}
                """.replace("GATE", gate).replace("POLICY", onInconclusive));
        var env = new HashMap<>(System.getenv());
        var runtime = new RolloutEngine.Runtime(new GateEnvironment(env, dir, HttpClient.newHttpClient(), clock),
                new ActionEnvironment(env, dir, HttpClient.newHttpClient()));
        RolloutEngine engine = new RolloutEngine(new FileRolloutStore(dir.resolve(store)), runtime, clock, clock.sleeper(), EngineListener.NONE);
        assertThat(engine.start(plan, "2.0.0", "1.0.0", ALICE).kind()).isEqualTo(EngineResult.Kind.APPLIED);
        return engine.advance(KEY, ALICE).state();
    }

    private List<RolloutEvent> measurements() throws Exception {
        return new FileRolloutStore(dir.resolve(store)).history(KEY).stream()
                .filter(e -> e.type().equals(EventType.MEASURED)).toList();
    }

    private List<String> actions() throws Exception {
        Path log = dir.resolve("actions.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }
}
