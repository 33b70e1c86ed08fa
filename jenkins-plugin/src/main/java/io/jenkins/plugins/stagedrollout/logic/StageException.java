package io.jenkins.plugins.stagedrollout.logic;

/** A step cannot do what it was asked; the message names the argument or the rollout's state that stops it. */
public final class StageException extends Exception {
    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** A step argument or the plan is wrong. */
        INVALID,
        /** No such rollout. */
        NOT_FOUND,
        /** Another rollout is active, or the ring is not the current one. */
        CONFLICT,
        /** The rollout is over (rolled back, aborted, failed). */
        FINISHED,
        /** The build (its job, its authentication) may not act on this rollout. */
        FORBIDDEN,
        /** The store could not be read or written. */
        STORE,
        /**
         * The controller is shutting down and stopped the work (its driver gave the key's lease back); the step carries
         * on after the restart.
         */
        STOPPED
    }

    private final Reason reason;

    public StageException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public StageException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
