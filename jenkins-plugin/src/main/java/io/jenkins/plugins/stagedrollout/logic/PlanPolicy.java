package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.RolloutPlan;
import java.util.ArrayList;
import java.util.List;

/**
 * What a plan may ask of the Jenkins controller. Gates are measured and plan actions run on the controller, not on an
 * agent, so {@code command} gates and actions would let anyone who can change a plan in SCM run programs as the
 * Jenkins user. They are refused unless an administrator allowed them in the global configuration; in a pipeline
 * the deploy and the revert belong in the steps' bodies ({@code sh}), which run where the pipeline says.
 */
public final class PlanPolicy {
    static final String COMMAND = "command";

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
    }
}
