package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "abort", description = "Stop the rollout where it stands, without a revert (traffic is left as it is).")
final class AbortCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Mixin
    TargetOptions aim;

    @Option(names = "--reason", paramLabel = "TEXT", defaultValue = "aborted by hand", description = "Why; recorded in the journal.")
    String reason;

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
