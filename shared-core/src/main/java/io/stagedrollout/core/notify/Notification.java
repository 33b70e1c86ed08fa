package io.stagedrollout.core.notify;

import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One thing people should hear about, made from a committed journal event. When the rollout waits for a person,
 * {@code promoteCommand} and {@code rollbackCommand} are the exact commands that release it.
 */
public record Notification(String event, String key, String rolloutId, String version, String stableVersion,
        String status, String ring, int ringIndex, int ringCount, String message, Instant at, String promoteCommand,
        String rollbackCommand) {
    public static final String STARTED = "started";
    public static final String RING_PASSED = "ring-passed";
    public static final String AWAITING_APPROVAL = "awaiting-approval";
    public static final String GATE_FAILED = "gate-failed";
    public static final String ROLLED_BACK = "rolled-back";
    public static final String COMPLETED = "completed";
    /** The revert itself failed: a person must look. */
    public static final String FAILED = "failed";
    public static final List<String> EVENTS = List.of(STARTED, RING_PASSED, AWAITING_APPROVAL, GATE_FAILED, ROLLED_BACK,
            COMPLETED, FAILED);

    /** The notification for a journal event, if it is one people hear about. */
    public static Optional<Notification> of(RolloutEvent e, RolloutState s) {
        String event = switch (e.type()) {
            case EventType.STARTED -> STARTED;
            case EventType.RING_PASSED -> RING_PASSED;
            case EventType.AWAITING_APPROVAL -> AWAITING_APPROVAL;
            case EventType.RING_FAILED, EventType.DEPLOY_FAILED -> GATE_FAILED;
            case EventType.ROLLED_BACK -> ROLLED_BACK;
            case EventType.COMPLETED -> COMPLETED;
            case EventType.REVERT_FAILED -> FAILED;
            default -> null;
        };
        if (event == null) return Optional.empty();
        String promote = null;
        String rollback = null;
        if (event.equals(AWAITING_APPROVAL) && e.ring() != null) {
            promote = io.stagedrollout.core.report.CommandHints.promote(s);
            rollback = io.stagedrollout.core.report.CommandHints.rollback(s);
        }
        int ringIndex = e.ring() == null ? -1 : s.plan().ringIndex(e.ring());
        return Optional.of(new Notification(event, s.key(), s.id(), s.version(), s.stableVersion(), e.to() == null ? null
                : e.to().name(), e.ring(), ringIndex, s.plan().rings().size(), e.reason(), e.at(), promote, rollback));
    }

    /** One line for people: "checkout/production 1.4.2 · ring canary (1 of 3) · ring-passed: …". */
    public String headline() {
        return key + " " + version + (ring == null ? "" : " · ring " + ring + " (" + (ringIndex + 1) + " of " + ringCount + ")")
                + " · " + event + ": " + message;
    }
}
