package io.stagedrollout.core.gate.kind;

import io.stagedrollout.core.action.ProcessControl;
import io.stagedrollout.core.action.Processes;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: command} — runs a program (an argument list, no shell) with the ROLLOUT_* variables in its
 * environment: exit 0 passes, an exit code listed in {@code inconclusiveExitCodes} is inconclusive, any other
 * fails; a program that cannot start or times out is an error. It runs in its own process group, ended with all it
 * started when it exits or times out ({@link io.stagedrollout.core.action.ProcessGroups}).
 */
public final class CommandGate implements GateKind {
    record Config(List<String> command, Duration timeout, List<Integer> inconclusiveExitCodes) {}

    @Override
    public String kind() {
        return "command";
    }

    @Override
    public void validate(SpecReader r) {
        config(r);
    }

    static Config config(SpecReader r) {
        List<String> cmd = r.stringList("command");
        if (!r.has("command") || cmd.isEmpty()) r.problem("command", "is required: the program and its arguments as a list");
        Duration timeout = r.duration("timeout", Duration.ofMinutes(1));
        List<Integer> inconclusive = new ArrayList<>();
        for (String s : r.stringList("inconclusiveExitCodes")) {
            try {
                inconclusive.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                r.problem("inconclusiveExitCodes", "must be whole numbers, not '" + s + "'");
            }
        }
        return new Config(cmd, timeout, inconclusive);
    }

    @Override
    public GateProbe open(GateSpec spec, GateEnvironment env) {
        Config c = config(SpecReader.of(spec.settings(), spec.name(), new ArrayList<>()));
        return ctx -> {
            // tagged with the rollout, so a driver that takes over after a crash finds what is left of it
            var v = ctx.variables();
            Processes.Outcome o = Processes.run(c.command(), env.workDir(), env.env(), v, c.timeout(), line -> {},
                    ProcessControl.tagged("gate:" + v.getOrDefault("ROLLOUT_SERVICE", "") + "/"
                            + v.getOrDefault("ROLLOUT_ENVIRONMENT", "") + ":" + v.getOrDefault("ROLLOUT_ID", "") + ":" + spec.name()));
            var at = env.clock().instant();
            String program = c.command().get(0);
            Map<String, Object> data = Map.of("exitCode", o.exitCode());
            if (o.startError() != null || o.timedOut()) {
                return new Measurement(spec.name(), at, Outcome.ERROR, null, o.describe(program), data);
            }
            Outcome outcome = o.exitCode() == 0 ? Outcome.PASS
                    : c.inconclusiveExitCodes().contains(o.exitCode()) ? Outcome.INCONCLUSIVE : Outcome.FAIL;
            return new Measurement(spec.name(), at, outcome, (double) o.exitCode(), o.describe(program), data);
        };
    }
}
