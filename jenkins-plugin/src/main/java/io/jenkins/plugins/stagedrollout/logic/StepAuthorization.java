package io.jenkins.plugins.stagedrollout.logic;

/**
 * Who may do what to a rollout from a pipeline step: the build's job must own the rollout's key (or be granted by its
 * owner, see {@link RolloutOwners}), and for promote and rollback the build's authentication must hold the Staged
 * Rollout permission on its job. Starting a rollout on a key nobody owns claims it for the job.
 */
public final class StepAuthorization {
    /** What a step does. */
    public enum Act {
        /** A canaryStage with plan and version: may claim a key nobody owns. */
        START("start a rollout of"),
        /** A canaryStage attaching to a rollout its build did not start. */
        DEPLOY("deploy a ring of"),
        PROMOTE("promote"),
        ROLLBACK("roll back");

        final String words;

        Act(String words) {
            this.words = words;
        }
    }

    private StepAuthorization() {}

    /**
     * @throws StageException FORBIDDEN naming the owner, or the permission the build lacks; nothing was changed
     */
    public static RolloutOwners.Decision check(OwnerRegistry owners, String key, BuildCaller who, Act act)
            throws StageException {
        RolloutService.key(key);
        if (act == Act.PROMOTE && !who.mayPromote()) throw missing("Promote", key, who, act);
        if (act == Act.ROLLBACK && !who.mayRollback()) throw missing("Rollback", key, who, act);
        RolloutOwners.Decision d = owners.decide(key, who.job());
        if (d.standing() == RolloutOwners.Standing.UNOWNED && act == Act.START) d = owners.claim(key, who.job());
        if (!d.allowed()) throw new StageException(StageException.Reason.FORBIDDEN, d.explain(act.words + " " + key));
        return d;
    }

    private static StageException missing(String permission, String key, BuildCaller who, Act act) {
        return new StageException(StageException.Reason.FORBIDDEN, "cannot " + act.words + " " + key + ": the build"
                + " runs as " + who.runsAs() + ", who lacks Staged Rollout/" + permission + " on job " + who.job());
    }
}
