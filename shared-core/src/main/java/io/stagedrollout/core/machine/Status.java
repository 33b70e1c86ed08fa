package io.stagedrollout.core.machine;

/** A rollout's status (DESIGN.md "State"). */
public enum Status {
    /** Started; no ring deployed yet. */
    PENDING,
    /** The current ring's deploy action is running. */
    DEPLOYING,
    /** The current ring is deployed and its gates are being measured. */
    BAKING,
    /** The ring waits for a person: manual approval, or held on an inconclusive or failed verdict. */
    AWAITING_APPROVAL,
    /** The current ring was promoted; the next ring is ready to deploy. */
    PROMOTING,
    COMPLETED,
    /** The revert action is running. */
    ROLLING_BACK,
    ROLLED_BACK,
    /** Stopped by a person where it stood, without a revert. */
    ABORTED,
    /** The revert itself failed: a person must look. */
    FAILED;

    public boolean isTerminal() {
        return this == COMPLETED || this == ROLLED_BACK || this == ABORTED || this == FAILED;
    }

    public boolean isActive() {
        return !isTerminal();
    }
}
