package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "resolve", description = "Resolve a FAILED rollout (its revert failed: production's state was "
        + "unknown), which blocks the key's next start until a person says how production stands: --reverted "
        + "(back on the stable version, e.g. reverted by hand) or --accept (left as it is). Journaled as RESOLVED.")
final class ResolveCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Mixin
    TargetOptions aim;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Outcome outcome;

    static final class Outcome {
        @Option(names = "--reverted", required = true, description = "Production is back on the stable version (the rollout becomes ROLLED_BACK).")
        boolean reverted;

        @Option(names = "--accept", required = true, description = "Production is accepted as it stands (the rollout becomes ABORTED).")
        boolean accept;
    }

    @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "What was checked or done; recorded in the journal.")
    String reason;

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        requireText("--reason", reason);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishChange(engine.resolve(key, target, outcome.reverted, reason, actor()), "applied");
        }
    }
}
