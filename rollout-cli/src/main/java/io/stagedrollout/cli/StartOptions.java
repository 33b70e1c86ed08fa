package io.stagedrollout.cli;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.nio.file.Path;

/** What starting a rollout takes, shared by `start` and `run`. */
final class StartOptions {
    Path file;
    String version;
    String stableVersion;
    boolean retry;

    void declare(CommandModel m) {
        m.parameter(0, "FILE", "The plan file.").toPath(v -> file = v);
        m.option("--version", "V", "The version to roll out.").required().toText(v -> version = v);
        m.option("--stable-version", "V", "The version to revert to (default: the last good version on record).")
                .toText(v -> stableVersion = v);
        m.flag("--retry", "Roll out again a version whose last rollout was rolled back, aborted or failed.").toFlag(v -> retry = v);
    }

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
