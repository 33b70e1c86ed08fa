package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.Target;
import java.util.Collection;
import java.util.function.Consumer;

/**
 * The Promote and Rollback buttons and their HTTP POSTs, without Jenkins: check the permission, check the rollout
 * belongs to the page, change the rollout, wake the stages waiting on it. The web actions supply the permission
 * check ({@link Guard}) and the caller's identity.
 */
public final class Controls {
    public enum Control {
        PROMOTE,
        ROLLBACK
    }

    /** Throws (Jenkins: an access-denied exception, answered 403) when the caller may not use {@code control}. */
    @FunctionalInterface
    public interface Guard {
        void check(Control control);
    }

    private final RolloutService service;
    private final Consumer<String> changed;

    /** @param changed told the rollout key after every change, to wake the stages waiting on it */
    public Controls(RolloutService service, Consumer<String> changed) {
        this.service = service;
        this.changed = changed;
    }

    /**
     * @param allowed the rollouts this page shows (null: any, for the global page); another key is refused, so a
     *     build page cannot be used to change a rollout it never touched
     * @param target  the rollout the page showed (its id, posted with the button): a page left open while a newer
     *     rollout started never changes the newer one
     * @param caller  the person (journaled) and what the plan's actions may use: only the values bound for the page's
     *     build, never the controller's environment
     */
    public EngineResult promote(Guard guard, Collection<String> allowed, String rollout, String ring, Target target,
            Caller caller) throws StageException {
        guard.check(Control.PROMOTE);
        checkAllowed(allowed, rollout);
        EngineResult r = service.promote(rollout, ring, target, caller);
        changed.accept(rollout);
        return r;
    }

    public EngineResult rollback(Guard guard, Collection<String> allowed, String rollout, String reason, Target target,
            Caller caller) throws StageException, InterruptedException {
        guard.check(Control.ROLLBACK);
        checkAllowed(allowed, rollout);
        // the plan's revert action runs now if it has one; otherwise the pipeline's rollback step reverts
        EngineResult r = service.rollback(rollout, reason, target, true, caller);
        changed.accept(rollout);
        return r;
    }

    private static void checkAllowed(Collection<String> allowed, String rollout) throws StageException {
        RolloutService.key(rollout);
        if (allowed != null && !allowed.contains(rollout)) {
            throw new StageException(StageException.Reason.NOT_FOUND, "this build did not take part in rollout " + rollout);
        }
    }
}
