package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.StateJson;
import java.io.PrintStream;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Validate a plan and print its rings (strategy shorthands expanded).")
final class PlanCommand extends Base {
    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file (YAML or JSON).")
    Path file;

    @Override
    int execute() throws Exception {
        RolloutPlan plan = readPlan(file);
        Output o = output();
        if (o.json()) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            extra.set("plan", StateJson.MAPPER.valueToTree(plan));
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
        return ExitCode.OK;
    }
}
