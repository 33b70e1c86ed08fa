package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;

final class RunCommand extends Base {
    final StartOptions start = new StartOptions();
    boolean autoApprove;
    final DriverOptions driver = new DriverOptions();

    @Override
    public void declare(CommandModel m) {
        m.command("run", "Drive a whole rollout: deploy each ring, bake, judge, wait for approval "
                + "(another shell's `rollout promote` releases it), promote, revert on failure. Run it again after an "
                + "interruption and it resumes from the stored state.");
        start.declare(m);
        m.flag("--auto-approve", "Promote manual rings that passed their gates without waiting for a person.").toFlag(v -> autoApprove = v);
        driver.declare(m);
    }

    @Override
    int execute() throws Exception {
        start.check();
        RolloutPlan plan = readPlan(start.file);
        if (plan.actions().isEmpty()) {
            throw new Invalid("the plan defines no actions: `rollout run` needs a deploy and a revert action "
                    + "(or drive the rings from your CI with start/advance and deploy there)");
        }
        RolloutKey key = new RolloutKey(plan.service(), plan.environment());
        try (RolloutStore store = openStore(); var engine = engine(store, driver, false); var notice = interruptNotice(store, key, true)) {
            EngineResult started = start.start(engine, plan, actor());
            if (started.kind() == EngineResult.Kind.CONFLICT) return finishChange(started, "applied");
            if (started.kind() == EngineResult.Kind.ALREADY_DONE && started.state().status().isTerminal()) {
                return finishDriven(started);
            }
            if (started.kind() == EngineResult.Kind.ALREADY_DONE) {
                output().human().println("resuming the rollout of " + start.version + " (" + started.message() + "); "
                        + io.stagedrollout.core.report.CommandHints.status(started.state()));
            } else {
                output().human().println("rollout " + started.state().id() + " of " + start.version + "; from another "
                        + "shell: " + io.stagedrollout.core.report.CommandHints.status(started.state()));
            }
            // bound to this rollout: if it is aborted or replaced meanwhile, this run stops instead of driving the next
            return finishDriven(engine.run(key, io.stagedrollout.core.machine.Target.id(started.state().id()), autoApprove, actor()));
        }
    }
}
