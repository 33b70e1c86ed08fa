package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "advance", description = "Deploy the next ring and bake it until its gates give a verdict "
        + "(resumes an interrupted deploy or bake). Exit 0 passed, 3 failed and rolled back, 4 waiting (for approval, or for a deployment window or the end of a freeze).")
final class AdvanceCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Mixin
    TargetOptions aim;

    @Option(names = "--override-window", description = "Deploy the next ring even outside its deployment window or "
            + "in a freeze; needs --reason, and is journaled.")
    boolean overrideWindow;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why the window or freeze is overridden (journaled).")
    String reason;

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        var target = aim.target();
        if (overrideWindow) requireText("--reason", reason);
        else if (reason != null) throw new Invalid("--reason goes with --override-window");
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishDriven(engine.advance(key, target, actor(), overrideWindow ? reason : null));
        }
    }
}
