package io.stagedrollout.core.action.kind;

import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionKind;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Processes;
import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code kind: command} — runs a program from an argument list. Plan values reach it only as ROLLOUT_* environment
 * variables, never pasted into a shell string, so a version such as {@code 1.2; rm -rf /} is just data. The program
 * sees only what the plan gives it: {@code env} values, the host variables named in {@code passEnv}, ROLLOUT_* and a
 * few harmless host basics ({@link ActionEnvironment#forCommand}) — never the host's secrets.
 * <pre>deploy: {kind: command, command: ["./deploy.sh", "--ring"], timeout: 10m, env: {REGION: eu}, passEnv: [KUBECONFIG]}</pre>
 */
public final class CommandAction implements ActionKind {
    record Config(List<String> command, Duration timeout, Map<String, String> env, List<String> passEnv) {}

    private static final java.util.regex.Pattern VARIABLE = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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
        Duration timeout = r.duration("timeout", Duration.ofMinutes(10));
        Map<String, String> env = r.stringMap("env");
        for (String k : env.keySet()) {
            if (k.startsWith("ROLLOUT_")) r.problem("env." + k, "ROLLOUT_* variables are set by the rollout itself");
        }
        List<String> passEnv = r.stringList("passEnv");
        for (int i = 0; i < passEnv.size(); i++) {
            String name = passEnv.get(i);
            if (!VARIABLE.matcher(name).matches()) {
                r.problem("passEnv[" + i + "]", "must be an environment variable name (letters, digits, _), not '" + name + "'");
            } else if (name.startsWith("ROLLOUT_")) {
                r.problem("passEnv[" + i + "]", "ROLLOUT_* variables are the rollout's own: set by it, or secrets it never passes on");
            }
        }
        return new Config(cmd, timeout, env, passEnv);
    }

    @Override
    public Action open(ActionSpec spec, ActionEnvironment env) {
        Config c = config(SpecReader.of(spec.settings(), "actions." + spec.name(), new ArrayList<>()));
        return request -> {
            Map<String, String> childEnv = env.forCommand(c.passEnv(), c.env(), request.variables());
            Processes.Outcome o = Processes.run(c.command(), env.workDir(), childEnv, Map.of(), c.timeout(), request.output(),
                    request.control());
            String program = c.command().get(0);
            return o.ok() ? ActionResult.ok(program + " exited with 0") : ActionResult.failed(o.describe(program));
        };
    }
}
