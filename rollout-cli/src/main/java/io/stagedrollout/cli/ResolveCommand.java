package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;

final class ResolveCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    boolean reverted;
    String reason;

    @Override
    public void declare(CommandModel m) {
        m.command("resolve", "Resolve a FAILED rollout (its revert failed: production's state was "
                + "unknown), which blocks the key's next start until a person says how production stands: --reverted "
                + "(back on the stable version, e.g. reverted by hand) or --accept (left as it is). Journaled as RESOLVED.");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        m.exactlyOne(
                m.flag("--reverted", "Production is back on the stable version (the rollout becomes ROLLED_BACK).")
                        .required().toFlag(v -> reverted = v),
                m.flag("--accept", "Production is accepted as it stands (the rollout becomes ABORTED).")
                        .required().toFlag(v -> { })); // exactly one is given: not --reverted is --accept
        m.option("--reason", "TEXT", "What was checked or done; recorded in the journal.").required().toText(v -> reason = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        requireText("--reason", reason);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishChange(engine.resolve(key, target, reverted, reason, actor()), "applied");
        }
    }
}
