package io.stagedrollout.cli;

import io.stagedrollout.core.machine.RolloutState;

/** The CLI's exit codes. Stable: scripts and CI adapters depend on them (README "Exit codes"). */
public final class ExitCode {
    /** Done, or passed. */
    public static final int OK = 0;
    /** An unexpected error (a bug, the store unreachable). */
    public static final int ERROR = 1;
    /** Invalid input: a plan, a flag, a key. Nothing was changed. */
    public static final int INVALID = 2;
    /** A gate failed and the rollout was rolled back (or was stopped): production is on the stable version. */
    public static final int FAILED = 3;
    /** Waiting: for approval, or for a window. */
    public static final int WAITING = 4;
    /**
     * Conflict: another rollout is active, the expected ring or rollout ({@code --rollout-id}, {@code --expect-version})
     * is not the current one, another driver holds the lease, or the key's last rollout FAILED and needs resolving.
     */
    public static final int CONFLICT = 5;
    /**
     * The revert itself failed (status FAILED): production state is unknown and a person must resolve it. Kept
     * apart from {@link #FAILED} so CI can tell "rolled back, production safe" from "revert failed".
     */
    public static final int REVERT_FAILED = 6;

    private ExitCode() {}

    /** The exit code that describes where a driven rollout came to rest. */
    public static int of(RolloutState s) {
        return switch (s.status()) {
            case COMPLETED, PROMOTING, PENDING -> OK;
            case AWAITING_APPROVAL -> WAITING;
            case ROLLED_BACK, ROLLING_BACK, ABORTED -> FAILED;
            case FAILED -> REVERT_FAILED;
            case DEPLOYING, BAKING -> WAITING;
        };
    }
}
