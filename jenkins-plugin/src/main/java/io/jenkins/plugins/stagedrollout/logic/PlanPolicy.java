package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a plan may ask of the Jenkins controller. Gates are measured and plan actions run on the controller, not on an
 * agent, so {@code command} gates and actions would let anyone who can change a plan in SCM run programs as the
 * Jenkins user, and a judge metric whose samples come from a {@code file} would read any file the Jenkins user can
 * (an absolute path, {@code ..}, the credentials store). Both are refused unless an administrator allowed them in the
 * global configuration; in a pipeline the deploy and the revert belong in the steps' bodies ({@code sh}), which run
 * where the pipeline says.
 */
public final class PlanPolicy {
    static final String COMMAND = "command";
    static final String JUDGE = "judge";
    static final String FILE = "file";

    private final boolean allowControllerCommands;

    public PlanPolicy(boolean allowControllerCommands) {
        this.allowControllerCommands = allowControllerCommands;
    }

    public boolean allowsControllerCommands() {
        return allowControllerCommands;
    }

    /** @throws StageException naming every gate and action the controller may not run */
    public void check(RolloutPlan plan) throws StageException {
        if (allowControllerCommands) return;
        List<String> refused = new ArrayList<>();
        for (GateSpec g : plan.gates().values()) {
            if (COMMAND.equals(g.kind())) refused.add("gates." + g.name());
        }
        for (ActionSpec a : plan.actions().values()) {
            if (COMMAND.equals(a.kind())) refused.add("actions." + a.name());
        }
        if (!refused.isEmpty()) {
            throw new StageException(StageException.Reason.INVALID, String.join(", ", refused)
                    + ": kind 'command' would run on the Jenkins controller, which the Staged Rollout configuration does"
                    + " not allow; deploy and revert in the canaryStage and rollback bodies instead");
        }
        List<String> files = fileSources(plan);
        if (!files.isEmpty()) {
            throw new StageException(StageException.Reason.INVALID, String.join(", ", files)
                    + ": kind 'file' would read a file on the Jenkins controller, which the Staged Rollout configuration"
                    + " does not allow; give the judge its samples over http, prometheus or openmetrics");
        }
    }

    /** The judge metrics whose samples come from a file: {@code gates.G.metrics[i].source}. */
    static List<String> fileSources(RolloutPlan plan) {
        List<String> found = new ArrayList<>();
        for (GateSpec g : plan.gates().values()) {
            if (!JUDGE.equals(g.kind()) || !(g.settings().get("metrics") instanceof List<?> metrics)) continue;
            for (int i = 0; i < metrics.size(); i++) {
                if (metrics.get(i) instanceof Map<?, ?> m && m.get("source") instanceof Map<?, ?> source
                        && FILE.equals(source.get("kind"))) {
                    found.add("gates." + g.name() + ".metrics[" + i + "].source");
                }
            }
        }
        return found;
    }
}
