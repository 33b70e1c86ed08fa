package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What starting a rollout takes, shared by `start` and `run`. */
final class StartOptions {
    @Parameters(index = "0", paramLabel = "FILE", description = "The plan file.")
    Path file;

    @Option(names = "--version", required = true, description = "The version to roll out.")
    String version;

    @Option(names = "--stable-version", description = "The version to revert to (default: the last good version on record).")
    String stableVersion;

    @Option(names = "--retry", description = "Roll out again a version whose last rollout was rolled back, aborted or failed.")
    boolean retry;

    void check() throws Base.Invalid {
        Base.requireText("--version", version);
        version(version, "--version");
        if (stableVersion != null) {
            Base.requireText("--stable-version", stableVersion);
            version(stableVersion, "--stable-version");
        }
    }

    /** A version is refused when it is padded with white space ('3.0 ' is not a release apart from 3.0). */
    private static void version(String v, String option) throws Base.Invalid {
        String problem = io.stagedrollout.core.machine.Versions.problem(v);
        if (problem != null) {
            throw new Base.Invalid(java.util.List.of(new io.stagedrollout.core.plan.Problem(option, 0, option + " '" + v + "' " + problem)));
        }
    }

    EngineResult start(RolloutEngine engine, io.stagedrollout.core.plan.RolloutPlan plan, Actor actor) throws StoreException {
        return engine.start(plan, version, stableVersion, retry, actor);
    }
}
