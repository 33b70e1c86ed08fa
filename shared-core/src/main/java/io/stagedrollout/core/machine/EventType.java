package io.stagedrollout.core.machine;

/** The event types the machine writes to the journal. Strings in the journal, so readers need not know this enum. */
public final class EventType {
    public static final String STARTED = "STARTED";
    public static final String RING_DEPLOYING = "RING_DEPLOYING";
    public static final String RING_DEPLOYED = "RING_DEPLOYED";
    public static final String DEPLOY_FAILED = "DEPLOY_FAILED";
    public static final String MEASURED = "MEASURED";
    public static final String RING_PASSED = "RING_PASSED";
    public static final String RING_FAILED = "RING_FAILED";
    public static final String RING_INCONCLUSIVE = "RING_INCONCLUSIVE";
    public static final String AWAITING_APPROVAL = "AWAITING_APPROVAL";
    public static final String PROMOTED = "PROMOTED";
    public static final String COMPLETED = "COMPLETED";
    public static final String ROLLBACK_STARTED = "ROLLBACK_STARTED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
    public static final String REVERT_FAILED = "REVERT_FAILED";
    public static final String ABORTED = "ABORTED";
    /** A ring was deployed outside its deployment window or in a freeze, by a person who gave a reason. */
    public static final String WINDOW_OVERRIDDEN = "WINDOW_OVERRIDDEN";
    /** A notification could not be delivered after its retries; committed on its own, the state is unchanged. */
    public static final String NOTIFY_FAILED = "NOTIFY_FAILED";
    /** A person resolved a FAILED rollout: reverted by hand (to ROLLED_BACK) or accepted as it stands (to ABORTED). */
    public static final String RESOLVED = "RESOLVED";
    /** A driver stopped an effect in flight (a rollback or abort came, its lease was lost, it was told to stop). */
    public static final String EFFECT_STOPPED = "EFFECT_STOPPED";
    /** A driver was stopped (SIGTERM, Ctrl-C) and says what it left and how to resume. */
    public static final String DRIVER_STOPPED = "DRIVER_STOPPED";

    private EventType() {}
}
