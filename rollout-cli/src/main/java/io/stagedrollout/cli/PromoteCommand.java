package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "promote", description = "Promote the rollout from a ring (default: the current ring). Idempotent: "
        + "promoting the same ring twice advances the rollout once.")
final class PromoteCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Mixin
    TargetOptions aim;

    @Option(names = "--ring", paramLabel = "NAME", description = "The ring to promote from; refused if it is not the current ring.")
    String ring;

    @Option(names = "--force", description = "Promote a ring that is still baking (journaled as an override).")
    boolean force;

    @Option(names = "--note", description = "A note for the journal.")
    String note;

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
