package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.report.CommandHints;
import io.stagedrollout.core.store.RolloutStore;

final class RollbackCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    final DriverOptions driver = new DriverOptions();
    String stableVersion;
    String reason;
    boolean reverted;

    @Override
    public void declare(CommandModel m) {
        m.command("rollback", "Roll back to the last good version: runs the plan's revert action. Works "
                + "on an active rollout and on a completed one (instant rollback after promotion).");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        driver.declare(m);
        m.option("--stable-version", "V", "The version to go back to, instead of the rollout's stable version "
                + "(journaled); needed to roll back a key's first completed rollout.").toText(v -> stableVersion = v);
        m.option("--reason", "TEXT", "Why; recorded in the journal (required unless --reverted).").toText(v -> reason = v);
        m.flag("--reverted", "Record that you reverted yourself (plans without a revert action).").toFlag(v -> reverted = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        if (stableVersion != null) requireText("--stable-version", stableVersion);
        try (RolloutStore store = openStore(); var engine = engine(store, driver, true)) {
            if (reverted) {
                return finishChange(engine.revertFinished(key, target, true, "reverted outside the rollout", actor()), "rolled-back");
            }
            requireText("--reason", reason);
            EngineResult r = engine.rollback(key, target, reason, stableVersion, actor(), true);
            if (r.state() != null && r.kind() == EngineResult.Kind.APPLIED) {
                if (r.state().status() == Status.FAILED) {
                    return output().finish(name(), "failed", ExitCode.REVERT_FAILED, r.message(), r.state(), null);
                }
                if (r.state().status() == Status.ROLLING_BACK) {
                    return output().finish(name(), "applied", ExitCode.OK, "rollback recorded; the plan has no revert "
                            + "action, so revert yourself, then run: " + CommandHints.reverted(r.state()),
                            r.state(), null);
                }
            }
            return finishChange(r, "rolled-back");
        }
    }
}
