package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.report.CommandHints;
import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollback", description = "Roll back to the last good version: runs the plan's revert action. Works "
        + "on an active rollout and on a completed one (instant rollback after promotion).")
final class RollbackCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Mixin
    TargetOptions aim;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why; recorded in the journal (required unless --reverted).")
    String reason;

    @Option(names = "--reverted", description = "Record that you reverted yourself (plans without a revert action).")
    boolean reverted;

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            if (reverted) {
                return finishChange(engine.revertFinished(key, target, true, "reverted outside the rollout", actor()), "rolled-back");
            }
            requireText("--reason", reason);
            EngineResult r = engine.rollback(key, target, reason, actor(), true);
            if (r.state() != null && r.kind() == EngineResult.Kind.APPLIED) {
                if (r.state().status() == Status.FAILED) {
                    return output().finish(name(), "failed", ExitCode.ERROR, r.message(), r.state(), null);
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
