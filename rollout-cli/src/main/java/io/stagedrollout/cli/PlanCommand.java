package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.StateJson;
import io.stagedrollout.core.plan.ActionSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import io.stagedrollout.core.planning.PlanCheck;
import io.stagedrollout.core.planning.PlanningInputs;
import io.stagedrollout.core.planning.PlanningReport;

final class PlanCommand extends Base {
    Path file;
    Double requestsPerSecond;
    Double baselineErrorRate;
    Double regression;

    @Override
    public void declare(CommandModel m) {
        m.command("plan", "Validate a plan and print its rings (strategy shorthands expanded).");
        m.parameter(0, "FILE", "The plan file (YAML or JSON).").toPath(v -> file = v);
        m.option("--requests-per-second", "RPS", "All traffic of the service, for the bake-time check (overrides the "
                + "plan's planning section).").to(Double.class, v -> requestsPerSecond = v);
        m.option("--baseline-error-rate", "RATE", "The stable version's error rate, e.g. 0.005.").to(Double.class, v -> baselineErrorRate = v);
        m.option("--regression", "FACTOR", "The regression to catch, as a multiple of the baseline (default: each "
                + "gate's max).").to(Double.class, v -> regression = v);
    }

    @Override
    int execute() throws Exception {
        RolloutPlan plan = readPlan(file);
        PlanningInputs inputs = planningInputs(plan);
        PlanningReport check = inputs == null ? null : PlanCheck.of(plan, inputs);
        // gates whose ring cannot take enough measurements to exceed failureLimit: they can never fail
        java.util.List<String> cannotFail = io.stagedrollout.core.planning.MeasurementTimes.cannotFail(plan);
        Output o = output();
        List<String> warnings = missingPrograms(plan, Path.of("").toAbsolutePath(), env.getOrDefault("PATH", ""));
        if (o.json()) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            extra.set("plan", StateJson.MAPPER.valueToTree(plan));
            var all = extra.putArray("warnings");
            cannotFail.forEach(all::add);
            warnings.forEach(all::add);
            if (check != null) extra.set("planning", StateJson.MAPPER.valueToTree(check));
            return o.finish(name(), "valid", ExitCode.OK, "the plan is valid", null, extra);
        }
        PrintStream out = o.human();
        out.println(plan.key() + " — strategy " + plan.strategy().yamlName() + ", " + plan.rings().size() + " ring(s)");
        for (int i = 0; i < plan.rings().size(); i++) {
            Ring r = plan.ring(i);
            out.printf("  %d. %-16s %-10s bake %-7s approval %-6s gates %s%s%n", i + 1, r.name(), r.exposure().describe(),
                    Durations.format(r.bake()), r.approval().name().toLowerCase(),
                    r.gates().isEmpty() ? "(none)" : String.join(", ", r.gates()),
                    plan.actions().isEmpty() ? "" : "  deploy: " + r.deploy());
        }
        plan.gates().values().forEach(g -> out.printf("  gate %-14s %-10s every %s%s, failureLimit %d%s%n", g.name(), g.kind(),
                Durations.format(g.interval()), g.count() == null ? "" : " × " + g.count(), g.failureLimit(),
                g.dryRun() ? " (dry run: never counted)" : ""));
        if (plan.actions().isEmpty()) {
            out.println("  no actions: deploys and reverts come from the CI step (e.g. a Jenkins canaryStage body)");
        }
        cannotFail.forEach(w -> out.println("  warning: " + w));
        warnings.forEach(w -> System.err.println("warning: " + w));
        if (check != null) {
            out.println();
            check.lines().forEach(out::println);
        } else {
            out.println("  (add a planning: section, or --requests-per-second and --baseline-error-rate, to check bake times and blast radius)");
        }
        return ExitCode.OK;
    }

    /**
     * Command actions whose program is not there: a path (it has a '/') that does not exist or cannot be run from
     * {@code workDir} (actions run in the current directory), or a name that is on no directory of {@code path}.
     * A warning, not an error: the plan may be checked on another machine than the one that runs it.
     */
    static List<String> missingPrograms(RolloutPlan plan, Path workDir, String path) {
        List<String> warnings = new ArrayList<>();
        for (ActionSpec a : plan.actions().values()) {
            if (!"command".equals(a.kind()) || !(a.settings().get("command") instanceof List<?> argv) || argv.isEmpty()) continue;
            String program = String.valueOf(argv.get(0));
            String shown = new io.stagedrollout.core.plan.Problem("", 0, program).message();
            try {
                checkProgram(a.name(), program, shown, workDir, path, warnings);
            } catch (java.nio.file.InvalidPathException e) {
                warnings.add("actions." + a.name() + ": " + shown + " is not a valid program path");
            }
        }
        return warnings;
    }

    private static void checkProgram(String action, String program, String shown, Path workDir, String path, List<String> warnings) {
        if (program.contains("/")) {
            Path p = workDir.resolve(program);
            if (!Files.exists(p)) {
                warnings.add("actions." + action + ": " + shown + " does not exist in " + workDir
                        + " (command actions run in the current directory)");
            } else if (!Files.isExecutable(p) || Files.isDirectory(p)) {
                warnings.add("actions." + action + ": " + shown + " is not an executable file (chmod +x?)");
            }
        } else if (Arrays.stream(path.split(java.io.File.pathSeparator)).filter(d -> !d.isEmpty())
                .map(d -> Path.of(d).resolve(program)).noneMatch(p -> Files.isExecutable(p) && !Files.isDirectory(p))) {
            warnings.add("actions." + action + ": " + shown + " is not on the PATH");
        }
    }

    private PlanningInputs planningInputs(RolloutPlan plan) throws Invalid {
        if (requestsPerSecond == null && baselineErrorRate == null && regression == null) return plan.planning();
        PlanningInputs base = plan.planning();
        double rps = requestsPerSecond != null ? requestsPerSecond : base != null ? base.requestsPerSecond() : -1;
        double rate = baselineErrorRate != null ? baselineErrorRate : base != null ? base.baselineErrorRate() : -1;
        if (rps <= 0) throw new Invalid("--requests-per-second must be above 0 (or give planning.requestsPerSecond in the plan)");
        if (!(rate > 0 && rate < 1)) throw new Invalid("--baseline-error-rate must be above 0 and below 1");
        if (regression != null && !(regression > 1 && rate * regression < 1)) {
            throw new Invalid("--regression must be above 1 and keep the error rate below 1");
        }
        Double reg = regression != null ? regression : base != null ? base.regression() : null;
        return base == null ? PlanningInputs.of(rps, rate, reg)
                : new PlanningInputs(rps, rate, reg, base.alpha(), base.power(), base.users(), base.twoSided(),
                        base.deployTime(), base.revertTime());
    }
}
