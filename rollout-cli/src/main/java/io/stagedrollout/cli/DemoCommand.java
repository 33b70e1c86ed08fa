package io.stagedrollout.cli;

import io.stagedrollout.cli.demo.DemoService;
import io.stagedrollout.cli.demo.Traffic;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A staged rollout on this machine with nothing external: a local service with a stable and a canary version, real
 * HTTP traffic, an OpenMetrics endpoint, and a plan whose gates read it. A good version goes through every ring
 * (pausing for a person's approval, given by a second actor through the store as another shell would); a bad
 * version is caught in the canary and rolled back.
 */
final class DemoCommand extends Base {
    static final RolloutKey KEY = new RolloutKey("demo", "local");

    /** Where `demo --serve` listens: the port the tour's plan (examples/tour/plan.yaml) reads. */
    static final int TOUR_PORT = 18080;

    int port = -1;
    boolean serve;
    int rps;
    double badErrorRate;

    @Override
    public void declare(CommandModel m) {
        m.command("demo", "Run a real staged rollout against a local demo service: a good version "
                + "completes every ring, a bad one is caught in the canary and rolled back.");
        m.option("--port", "PORT", "Port of the demo service on 127.0.0.1 (default: any free port; "
                + "with --serve " + TOUR_PORT + ", the tour's).").to(Integer.class, v -> port = v);
        m.flag("--serve", "Only run the demo service and its traffic, until Ctrl-C: the service the "
                + "README's tour rolls out to (examples/tour/plan.yaml). Versions named …-bad fail --bad-error-rate of "
                + "their requests.").toFlag(v -> serve = v);
        m.option("--rps", "RPS", "Requests per second of demo traffic (default: ${DEFAULT-VALUE}).")
                .defaultValue("200").to(Integer.class, v -> rps = v);
        m.option("--bad-error-rate", "RATE", "Error rate of the bad version (default: ${DEFAULT-VALUE}).")
                .defaultValue("0.3").to(Double.class, v -> badErrorRate = v);
    }

    @Override
    int execute() throws Exception {
        if (rps < 50 || rps > 2000) throw new Invalid("--rps must be from 50 to 2000");
        if (!(badErrorRate > 0.05 && badErrorRate <= 1)) throw new Invalid("--bad-error-rate must be above the gate's max 0.05 and at most 1");
        if (port < -1 || port > 65535) throw new Invalid("--port must be from 0 to 65535");
        PrintStream out = output().human();
        if (serve) return serve(out);
        if (port == -1) port = 0;
        try (RolloutStore store = openStore(); RolloutEngine engine = engine(store)) {
            Optional<RolloutState> before = store.read(KEY);
            if (before.isPresent() && before.get().status().isActive()) {
                out.println("(an earlier demo was interrupted; aborting it)");
                engine.abort(KEY, "a new demo started", new Actor("demo", "cli", null));
            }
            long runs = store.history(KEY).stream().filter(e -> EventType.STARTED.equals(e.type())).count() / 2 + 1;
            String stable = store.read(KEY).map(RolloutState::lastGoodVersion).orElse("1.0.0");
            String good = "1." + runs + ".0";
            String bad = "1." + runs + ".1";
            try (DemoService service = new DemoService(port, stable, Map.of(bad, badErrorRate), 0.002)) {
                Path planFile = writePlan(store, service.baseUrl());
                out.println("Staged Rollout demo: service " + service.baseUrl() + " (stable " + stable + "), "
                        + rps + " requests/s of real traffic");
                out.println("plan: " + planFile + "   state: " + store.describe());
                RolloutPlan plan = readPlan(planFile);
                try (Traffic traffic = new Traffic(service.baseUrl() + "/", rps, 4)) {
                    Thread.sleep(500);
                    out.println();
                    out.println("== 1. rolling out " + good + " (a good version, error rate 0.2%) ==");
                    RolloutState first = rollout(engine, store, plan, good, stable);
                    if (first.status() == Status.COMPLETED) service.promoteCanaryToStable();
                    out.println();
                    out.println("== 2. rolling out " + bad + " (a bad version, error rate " + Math.round(badErrorRate * 100) + "%) ==");
                    RolloutState second = rollout(engine, store, plan, bad, null);
                    out.println();
                    out.printf("%d requests served. %s: %s. %s: %s%s%n", traffic.sent(), good, first.status(), bad, second.status(),
                            second.reason() == null ? "" : " — " + second.reason());
                    out.println("See the journal: rollout history --rollout " + KEY + stateDirHint());
                    boolean asExpected = first.status() == Status.COMPLETED && second.status() == Status.ROLLED_BACK;
                    return output().finish(name(), asExpected ? "applied" : "failed", asExpected ? ExitCode.OK : ExitCode.ERROR,
                            asExpected ? "demo finished as expected: the good version completed, the bad one was rolled back"
                                    : "the demo did not end as expected", second, null);
                }
            }
        }
    }

    /** The tour's service: stable 2.3.1, real traffic, deploys and reverts printed as they come, until stopped. */
    private int serve(PrintStream out) throws Exception {
        int at = port == -1 ? TOUR_PORT : port;
        DemoService service;
        try {
            service = new DemoService(at, "2.3.1", Map.of(), 0.002);
        } catch (java.net.BindException e) {
            throw new Invalid("--port " + at + " is in use on 127.0.0.1 (another `rollout demo --serve`?)");
        }
        try (service; Traffic traffic = new Traffic(service.baseUrl() + "/", rps, 4)) {
            service.badVersionsErr(badErrorRate).onChange(line -> out.println(Output.time(java.time.Instant.now()) + " " + line));
            out.println("demo service on " + service.baseUrl() + " (stable 2.3.1), " + rps + " requests/s of real traffic; "
                    + "Ctrl-C stops it");
            out.println("  POST /admin/deploy moves traffic to a version (examples/tour/deploy.sh), /metrics counts "
                    + "requests and errors by version, /healthz answers UP; versions named …-bad fail "
                    + Math.round(badErrorRate * 100) + "% of their requests");
            out.flush();
            new java.util.concurrent.CountDownLatch(1).await(); // until the process is stopped
            return ExitCode.OK;
        }
    }

    private String stateDirHint() {
        return root.stateDir == null ? "" : " --state-dir " + root.stateDir;
    }

    private RolloutState rollout(RolloutEngine engine, RolloutStore store, RolloutPlan plan, String version, String stable)
            throws Exception {
        Actor actor = actor();
        EngineResult started = engine.start(plan, version, stable, actor);
        if (started.kind() != EngineResult.Kind.APPLIED) throw new IllegalStateException(started.message());
        Thread approver = approver(store, version);
        try {
            return engine.run(KEY, false, actor).state();
        } finally {
            approver.interrupt();
            approver.join(2000);
        }
    }

    /** Plays the release engineer in another shell: sees the pause, waits a moment, promotes the ring. */
    private Thread approver(RolloutStore store, String version) {
        PrintStream out = output().human();
        Thread t = new Thread(() -> {
            RolloutEngine other = new RolloutEngine(store, RolloutEngine.Runtime.system(Path.of(".")), java.time.Clock.systemUTC(),
                    io.stagedrollout.core.engine.EngineListener.NONE);
            try {
                while (true) {
                    Thread.sleep(200);
                    RolloutState s = store.read(KEY).orElse(null);
                    if (s == null || !s.version().equals(version) || s.status().isTerminal()) return;
                    if (s.status() == Status.AWAITING_APPROVAL && RolloutMachine.HOLD_APPROVAL.equals(s.hold())) {
                        Thread.sleep(2000);
                        out.println("\n(demo) a release engineer approves in another shell: rollout promote --rollout "
                                + KEY + " --ring " + s.ringName() + stateDirHint());
                        other.promote(KEY, s.ringName(), false, "looks good", new Actor("release-engineer", "cli", null));
                    } else if (s.status() == Status.AWAITING_APPROVAL) {
                        Thread.sleep(2000);
                        out.println("\n(demo) the ring is held (" + s.hold() + "); a release engineer does not promote on "
                                + "doubt and rolls back: rollout rollback --rollout " + KEY + " --reason ..." + stateDirHint());
                        other.rollback(KEY, "held " + s.hold() + " in the demo", new Actor("release-engineer", "cli", null), true);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                out.println("(demo) the approver failed: " + e);
            }
        }, "demo-approver");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Path writePlan(RolloutStore store, String url) throws Exception {
        Path dir = store instanceof FileRolloutStore f ? f.root() : Path.of(".rollout").toAbsolutePath();
        Files.createDirectories(dir);
        Path file = dir.resolve("demo-plan.yaml");
        String yaml = """
                # Written by `rollout demo`: the demo rollout against the demo service at %1$s.
                # Validate it with: rollout plan %2$s
                service: demo
                environment: local
                strategy: rings
                rings:
                  - name: canary
                    exposure: 20%%
                    bake: 6s
                    gates: [error-rate, smoke]
                  - name: early-adopters
                    exposure: 50%%
                    bake: 4s
                    gates: [error-rate]
                    approval: manual
                  - name: everyone
                    exposure: 100%%
                    bake: 3s
                    gates: [error-rate]
                gates:
                  error-rate:
                    kind: metrics
                    endpoint: %1$s/metrics
                    errors: 'http_requests_errors_total{version="canary"}'
                    total: 'http_requests_total{version="canary"}'
                    max: 0.05
                    minRequests: 10
                    window: 2s
                    interval: 2s
                    failureLimit: 1
                    inconclusiveLimit: 1
                  smoke:
                    kind: http
                    url: %1$s/healthz
                    expectStatus: 200
                    timeout: 2s
                    interval: 2s
                actions:
                  deploy: {kind: webhook, url: "%1$s/admin/deploy"}
                  revert: {kind: webhook, url: "%1$s/admin/deploy"}
                """.formatted(url, file);
        Files.writeString(file, yaml);
        return file;
    }
}
