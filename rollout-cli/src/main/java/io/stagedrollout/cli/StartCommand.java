package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutStore;

final class StartCommand extends Base {
    final StartOptions start = new StartOptions();

    @Override
    public void declare(CommandModel m) {
        m.command("start", "Start a rollout (no ring is deployed yet; `advance` deploys the first). "
                + "Starting the version already under way attaches to it.");
        start.declare(m);
    }

    @Override
    int execute() throws Exception {
        start.check();
        RolloutPlan plan = readPlan(start.file);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            EngineResult r = start.start(engine, plan, actor());
            if (r.kind() == EngineResult.Kind.APPLIED && r.state() != null && r.state().stableVersion() == null) {
                System.err.println("warning: no stable version is known for " + r.state().key() + " (no version "
                        + "completed there yet and none was given): a rollback would not know what to revert to; give --stable-version");
            }
            if ((r.kind() == EngineResult.Kind.APPLIED || r.kind() == EngineResult.Kind.ALREADY_DONE) && r.state() != null
                    && r.state().status().isActive()) {
                // the id-bound form: safe to paste into a later job, refused once this rollout has ended
                r = new EngineResult(r.kind(), r.state(), r.message() + "\nrollout " + r.state().id() + "; next: "
                        + io.stagedrollout.core.report.CommandHints.advance(r.state()));
            }
            return finishChange(r, "applied");
        }
    }
}
