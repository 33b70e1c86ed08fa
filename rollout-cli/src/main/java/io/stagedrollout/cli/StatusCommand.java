package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.report.ConsoleProgress;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.store.RolloutStore;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "status", description = "Show a rollout. With --wait, block until nobody is working on it (not "
        + "deploying, baking or reverting) and exit as `advance` would: 0 passed/completed, 3 rolled back, 4 waiting.")
final class StatusCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @picocli.CommandLine.Mixin
    TargetOptions aim;

    @Option(names = "--wait", description = "Block until the rollout is at rest.")
    boolean await;

    @Option(names = "--succeed-on-pause", description = "With --wait: exit 0 when the rollout waits for approval.")
    boolean succeedOnPause;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "With --wait: give up after this long (exit 4).")
    String timeout;

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        Duration limit = null;
        if (timeout != null) {
            limit = Durations.parse(timeout).orElseThrow(() -> new Invalid("--timeout '" + timeout + "' is not a duration (30s, 10m, 1h)"));
        }
        try (RolloutStore store = openStore()) {
            Optional<RolloutState> s = store.read(key);
            if (s.isEmpty()) return output().finish(name(), "not-found", ExitCode.INVALID, "no rollout " + key + " in the " + store.describe(), null, null);
            if (!target.matches(s.get())) return offTarget(store, key, s.get(), target);
            if (!await) {
                print(s.get());
                return output().finish(name(), "applied", ExitCode.OK, "", s.get(), null);
            }
            var listener = listener();
            Instant deadline = limit == null ? null : Instant.now().plus(limit);
            RolloutState st = s.get();
            while (busy(st)) {
                if (deadline != null && Instant.now().isAfter(deadline)) {
                    return output().finish(name(), "waiting", ExitCode.WAITING, "still " + st.status() + " after " + timeout, st, null);
                }
                listener.progress(st, Instant.now());
                Thread.sleep(1000);
                st = store.read(key).orElse(st);
                if (!target.matches(st)) return offTarget(store, key, st, target);
            }
            print(st);
            var closed = io.stagedrollout.core.machine.RolloutMachine.waitingFor(st, Instant.now(), hostFreezes());
            if (closed.isPresent()) {
                return output().finish(name(), "waiting", ExitCode.WAITING, "ring " + st.plan().ring(st.ringIndex() + 1).name()
                        + " waits: " + closed.get().describe(), st, null);
            }
            if (succeedOnPause && st.status() == Status.AWAITING_APPROVAL) {
                return output().finish(name(), "waiting", ExitCode.OK, "waiting for approval (--succeed-on-pause)", st, null);
            }
            return finishDriven(new EngineResult(EngineResult.Kind.APPLIED, st, st.status() + (st.reason() == null ? "" : ": " + st.reason())));
        }
    }

    /** Exit 5 naming both rollouts: the key has moved on from the one this command is aimed at. */
    private int offTarget(RolloutStore store, io.stagedrollout.core.store.RolloutKey key, RolloutState current,
            io.stagedrollout.core.machine.Target target) throws Exception {
        EngineResult r = io.stagedrollout.core.engine.RolloutEngine.offTarget(store, key, current, target);
        return output().finish(name(), "conflict", ExitCode.CONFLICT, r.message(), current, null);
    }

    private static boolean busy(RolloutState s) {
        return s.status() == Status.DEPLOYING || s.status() == Status.BAKING || s.status() == Status.ROLLING_BACK;
    }

    private void print(RolloutState s) {
        Output o = output();
        if (o.json()) return;
        PrintStream out = o.human();
        out.println(s.key() + "  " + s.id() + "  " + s.version() + "  " + s.status()
                + (s.hold() == null ? "" : " (" + s.hold() + ")") + "   stable: " + (s.stableVersion() == null ? "unknown" : s.stableVersion()));
        for (int i = 0; i < s.plan().rings().size(); i++) {
            var r = s.plan().ring(i);
            out.printf("  %s %-16s %-10s %s%n", switch (StatusJson.ringState(s, i)) {
                case "done" -> "✓";
                case "current" -> "▶";
                case "reverted" -> "↩";
                default -> " ";
            }, r.name(), r.exposure().describe(), r.gates().isEmpty() ? "" : "gates " + String.join(", ", r.gates()));
        }
        for (GateProgress g : s.gates()) {
            out.printf("    %-14s %d measured: %d passed, %d failed, %d inconclusive, %d errors%s%n", g.gate(), g.measurements(),
                    g.passed(), g.failed(), g.inconclusive(), g.errors(), g.last() == null ? "" : "; last: " + g.last().summary());
        }
        if (s.verdict() != null) out.println("  verdict " + s.verdict().verdict() + ": " + s.verdict().reason());
        if (s.verdict() != null) {
            s.verdict().gates().stream().filter(io.stagedrollout.core.gate.GateVerdict::dryRun).forEach(g ->
                    out.println("  dry run, not counted: " + g.gate() + " " + g.verdict() + ": " + g.reason()));
        }
        io.stagedrollout.core.machine.RolloutMachine.waitingFor(s, Instant.now(), hostFreezes()).ifPresent(c ->
                out.println("  ring " + s.plan().ring(s.ringIndex() + 1).name() + " waits: " + c.describe()));
        if (s.status() == Status.BAKING || s.status() == Status.AWAITING_APPROVAL) out.println("  " + ConsoleProgress.describe(s, Instant.now()));
        if (s.reason() != null && s.status().isTerminal()) out.println("  reason: " + s.reason());
        io.stagedrollout.core.report.CommandHints.forState(s).forEach((what, command) -> out.println("  " + what + ": " + command));
    }
}
