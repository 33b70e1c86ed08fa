package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "start", description = "Start a rollout (no ring is deployed yet; `advance` deploys the first). "
        + "Starting the version already under way attaches to it.")
final class StartCommand extends Base {
    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    Path file;

    @Option(names = "--version", required = true, description = "The version to roll out.")
    String version;

    @Option(names = "--retry", description = "Roll out again a version whose last rollout was rolled back, aborted or failed.")
    boolean retry;

    @Option(names = "--stable-version", description = "The version to revert to (default: the last good version on record).")
    String stableVersion;

    @Override
    int execute() throws Exception {
        requireText("--version", version);
        if (stableVersion != null) requireText("--stable-version", stableVersion);
        RolloutPlan plan = readPlan(file);
        try (RolloutStore store = openStore(); var engine = engine(store)) {
            EngineResult r = engine.start(plan, version, stableVersion, retry, actor());
            return finishChange(r, "applied");
        }
    }
}
