package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;

final class AbortCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    String reason;

    @Override
    public void declare(CommandModel m) {
        m.command("abort", "Stop the rollout where it stands, without a revert (traffic is left as it is).");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        m.option("--reason", "TEXT", "Why; recorded in the journal.").defaultValue("aborted by hand").toText(v -> reason = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        requireText("--reason", reason);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishChange(engine.abort(key, target, reason, actor()), "applied");
        }
    }
}
