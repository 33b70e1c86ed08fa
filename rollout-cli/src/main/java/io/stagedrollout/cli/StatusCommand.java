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

final class StatusCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    boolean await;
    boolean succeedOnPause;
    String timeout;

    @Override
    public void declare(CommandModel m) {
        m.command("status", "Show a rollout. With --wait, block until nobody is working on it (not "
                + "deploying, baking or reverting) and exit as `advance` would: 0 passed/completed, 3 rolled back, 4 waiting.");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        m.flag("--wait", "Block until the rollout is at rest.").toFlag(v -> await = v);
        m.flag("--succeed-on-pause", "With --wait: exit 0 when the rollout waits for approval.").toFlag(v -> succeedOnPause = v);
        m.option("--timeout", "DURATION", "With --wait: give up after this long (exit 4).").toText(v -> timeout = v);
    }

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
            var lease = store.leases().read(key).orElse(null);
            if (!await) {
                print(s.get(), lease);
                return output().finish(name(), "applied", ExitCode.OK, "", s.get(), driver(lease));
            }
            var listener = listener();
            Instant deadline = limit == null ? null : Instant.now().plus(limit);
            RolloutState st = s.get();
            try (var notice = interruptNotice(store, key, false)) {
                while (busy(st)) {
                    if (deadline != null && Instant.now().isAfter(deadline)) {
                        return output().finish(name(), "waiting", ExitCode.WAITING, "still " + st.status() + " after " + timeout, st, null);
                    }
                    listener.progress(st, Instant.now());
                    Thread.sleep(1000);
                    st = store.read(key).orElse(st);
                    if (!target.matches(st)) return offTarget(store, key, st, target);
                }
            }
            lease = store.leases().read(key).orElse(null);
            print(st, lease);
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

    /** {@code {"driver": {...}}}: the key's lease, so scripts see who drives (or drove last) and until when. */
    private static com.fasterxml.jackson.databind.node.ObjectNode driver(io.stagedrollout.core.store.Lease lease) {
        if (lease == null) return null;
        var o = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        var d = o.putObject("driver");
        d.put("token", lease.token());
        d.put("holder", lease.holder().what());
        d.put("host", lease.holder().host());
        d.put("pid", lease.holder().pid());
        d.put("rolloutId", lease.rolloutId());
        d.put("held", !lease.freeAt(Instant.now()));
        d.put("expiresAt", lease.expiresAt().toString());
        return o;
    }

    private void print(RolloutState s, io.stagedrollout.core.store.Lease lease) {
        Output o = output();
        if (o.json()) return;
        PrintStream out = o.human();
        // the stable version is what runs when the rollout is at rest: this version once completed
        out.println(s.key() + "  " + s.id() + "  " + esc(s.version()) + "  " + s.status()
                + (s.hold() == null ? "" : " (" + s.hold() + ")") + "   stable: " + (s.lastGoodVersion() == null ? "unknown" : esc(s.lastGoodVersion()))
                + (s.status() == Status.COMPLETED && s.stableVersion() != null ? " (a rollback goes to " + esc(s.stableVersion()) + ")" : ""));
        if (lease != null && !lease.freeAt(Instant.now())) out.println("  driven by " + esc(lease.describe()));
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
                    g.passed(), g.failed(), g.inconclusive(), g.errors(), g.last() == null ? "" : "; last: " + esc(g.last().summary()));
        }
        if (s.verdict() != null) out.println("  verdict " + s.verdict().verdict() + ": " + esc(s.verdict().reason()));
        if (s.verdict() != null) {
            s.verdict().gates().stream().filter(io.stagedrollout.core.gate.GateVerdict::dryRun).forEach(g ->
                    out.println("  dry run, not counted: " + g.gate() + " " + g.verdict() + ": " + esc(g.reason())));
        }
        io.stagedrollout.core.machine.RolloutMachine.waitingFor(s, Instant.now(), hostFreezes()).ifPresent(c ->
                out.println("  ring " + s.plan().ring(s.ringIndex() + 1).name() + " waits: " + c.describe()));
        if (s.status() == Status.BAKING || s.status() == Status.AWAITING_APPROVAL) out.println("  " + ConsoleProgress.describe(s, Instant.now()));
        if (s.reason() != null && s.status().isTerminal()) out.println("  reason: " + esc(s.reason()));
        io.stagedrollout.core.report.CommandHints.forState(s).forEach((what, command) -> out.println("  " + what + ": " + esc(command)));
    }

    /** Values from outside (versions, gate answers, reasons) on one line, whatever they carry. */
    private static String esc(String s) {
        return io.stagedrollout.core.text.Printable.escape(s);
    }
}
