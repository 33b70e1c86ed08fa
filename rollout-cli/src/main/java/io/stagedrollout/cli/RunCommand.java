package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Drive a whole rollout: deploy each ring, bake, judge, wait for approval "
        + "(another shell's `rollout promote` releases it), promote, revert on failure. Run it again after an "
        + "interruption and it resumes from the stored state.")
final class RunCommand extends Base {
    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    Path file;

    @Option(names = "--version", required = true, description = "The version to roll out.")
    String version;

    @Option(names = "--retry", description = "Roll out again a version whose last rollout was rolled back, aborted or failed.")
    boolean retry;

    @Option(names = "--stable-version", description = "The version to revert to (default: the last good version on record).")
    String stableVersion;

    @Option(names = "--auto-approve", description = "Promote manual rings that passed their gates without waiting for a person.")
    boolean autoApprove;

    @Override
    int execute() throws Exception {
        requireText("--version", version);
        if (stableVersion != null) requireText("--stable-version", stableVersion);
        RolloutPlan plan = readPlan(file);
        if (plan.actions().isEmpty()) {
            throw new Invalid("the plan defines no actions: `rollout run` needs a deploy and a revert action "
                    + "(or drive the rings from your CI with start/advance and deploy there)");
        }
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            EngineResult started = engine.start(plan, version, stableVersion, retry, actor());
            if (started.kind() == EngineResult.Kind.CONFLICT) return finishChange(started, "applied");
            if (started.kind() == EngineResult.Kind.ALREADY_DONE && started.state().status().isTerminal()) {
                return finishDriven(started);
            }
            if (started.kind() == EngineResult.Kind.ALREADY_DONE) {
                output().human().println("resuming the rollout of " + version + " (" + started.message() + ")");
            }
            return finishDriven(engine.run(new RolloutKey(plan.service(), plan.environment()), autoApprove, actor()));
        }
    }
}
