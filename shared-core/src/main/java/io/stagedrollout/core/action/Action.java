package io.stagedrollout.core.action;

/** Something that moves traffic: a command, a webhook, a Kubernetes traffic shift. */
public interface Action {
    /** Runs the action. Failures are returned, not thrown; only interruption escapes. */
    ActionResult run(ActionRequest request) throws InterruptedException;
}
