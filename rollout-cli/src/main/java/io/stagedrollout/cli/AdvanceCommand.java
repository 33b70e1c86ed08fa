package io.stagedrollout.cli;

import io.stagedrollout.core.store.RolloutStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "advance", description = "Deploy the next ring and bake it until its gates give a verdict "
        + "(resumes an interrupted deploy or bake). Exit 0 passed, 3 failed and rolled back, 4 waiting for approval.")
final class AdvanceCommand extends Base {
    @Option(names = "--rollout", required = true, paramLabel = "KEY", description = "service/environment")
    String rollout;

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            return finishDriven(engine.advance(key, actor()));
        }
    }
}
