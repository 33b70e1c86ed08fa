package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;

final class PromoteCommand extends Base {
    String rollout;
    final TargetOptions aim = new TargetOptions();
    String ring;
    boolean force;
    String note;

    @Override
    public void declare(CommandModel m) {
        m.command("promote", "Promote the rollout from a ring (default: the current ring). Idempotent: "
                + "promoting the same ring twice advances the rollout once.");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        aim.declare(m);
        m.option("--ring", "NAME", "The ring to promote from; refused if it is not the current ring.").toText(v -> ring = v);
        m.flag("--force", "Promote a ring that is still baking (journaled as an override).").toFlag(v -> force = v);
        m.option("--note", "TEXT", "A note for the journal.").toText(v -> note = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        if (ring != null) requireText("--ring", ring);
        if (note != null) requireText("--note", note);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishChange(engine.promote(key, target, ring, force, note, actor()), "applied");
        }
    }
}
