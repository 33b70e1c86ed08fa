package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.policy.Freeze;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One {@code canaryStage}, without Jenkins: where it stands ({@link Phase}) and what it does next. The step carries
 * it in its serialized state and lends it a {@link Port} — the body, the timer, the build — for each move. Every move
 * that touches the store runs on a worker thread ({@link #enter}, {@link #recordDeploy}, {@link #look}); the
 * callbacks of the Pipeline ({@link #bodyEnded}) only do bookkeeping.
 */
public final class StageRun implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The least time between two looks, so a rollout stuck at "due now" cannot spin. */
    static final long MIN_LOOK_GAP_MILLIS = 1000;

    public enum Phase {
        /** Entering the stage: starting or attaching to the rollout, deploying the ring. */
        STARTING,
        /** The body deploys the ring. */
        DEPLOYING,
        /** The body ended; its outcome is being recorded. */
        RECORDING,
        /** The ring is outside its deployment window or in a freeze: enter the stage again at the opening. */
        WINDOW,
        BAKING,
        WAITING,
        DONE
    }

    /** What the step provides for a move. */
    public interface Port {
        RolloutService service() throws StageException;

        /** Checks the build may act on the rollout ({@code starts}: it may claim a key nobody owns). */
        void authorize(boolean starts) throws StageException;

        /** The plan the step names, read now (null when it names none). */
        RolloutPlan plan(RolloutService service) throws Exception;

        /** The journal's actor and what the plan may read, resolved for the build now. */
        Caller caller() throws Exception;

        /** Freezes the build announces ({@code CI_DEPLOY_FREEZE}). */
        List<Freeze> hostFreezes() throws Exception;

        /** Who else deploys rings on this controller. */
        LiveDeploys deploys();

        /** Remembers on the build that it took part in {@code rolloutId}. */
        void record(String rolloutId) throws Exception;

        /** Starts the body as the ring's deploy with {@code variables}; the body's end comes to {@link #bodyEnded}. */
        void runBody(Map<String, String> variables) throws Exception;

        /** Sets the durable timer to call {@link #look} in {@code delayMillis} (replacing an earlier one). */
        void arm(long delayMillis);

        /** Persists the stage (the Pipeline's program state). */
        void save();

        /** Tells the stages waiting on the rollout on this controller that it changed. */
        void changed();

        void log(String line);

        /** Prints where a person promotes or rolls back. */
        void printLinks();

        Instant now();

        void succeed(Object result);

        void fail(Throwable failure);

        void fail(String message);
    }

    private final String rollout;
    private final String ring;
    private final String version;
    private final boolean givesPlan;
    private final String overrideWindowReason;
    private final boolean hasBody;
    /** This stage in the registry of live deploys. */
    private final String token = UUID.randomUUID().toString();
    private String rolloutId;
    private int ringIndex = -1;
    private volatile Phase phase = Phase.STARTING;
    /** When the timer fires next, as wall-clock millis, so a restart re-arms it for the same moment. */
    private long wakeAtMillis;
    /** The deploy's failure while it is being recorded (RECORDING); null when it succeeded. */
    private Throwable deployFailure;
    private transient boolean busy;
    private transient boolean lookAgain;

    public StageRun(String rollout, String ring, String version, boolean givesPlan, String overrideWindowReason, boolean hasBody) {
        this.rollout = rollout;
        this.ring = ring;
        this.version = version;
        this.givesPlan = givesPlan;
        this.overrideWindowReason = overrideWindowReason;
        this.hasBody = hasBody;
    }

    public Phase phase() {
        return phase;
    }

    public long wakeAtMillis() {
        return wakeAtMillis;
    }

    public String rolloutId() {
        return rolloutId;
    }

    // ---- moves on a worker --------------------------------------------------------------------------------------

    /** Starts or attaches to the rollout and begins the stage: done, deploy, wait for the window, or bake. */
    public void enter(Port p) throws Exception {
        p.authorize(givesPlan && version != null);
        RolloutService service = p.service();
        StageStart s = service.enterStage(new RolloutService.StageRequest(rollout, ring, version, p.plan(service), hasBody,
                overrideWindowReason, p.hostFreezes(), (state, index) -> deployInFlight(p, state, index)), p.caller());
        synchronized (this) {
            if (phase == Phase.DONE) return;
            rolloutId = s.state().id();
            ringIndex = s.ringIndex();
        }
        p.record(rolloutId);
        p.log(s.message());
        switch (s.next()) {
            case PASSED -> p.succeed(StatusMap.of(s.state(), p.now()));
            case RUN_BODY -> {
                synchronized (this) {
                    if (phase == Phase.DONE) return; // stopped meanwhile: the ring stays DEPLOYING for the next stage
                    phase = Phase.DEPLOYING;
                    p.deploys().register(token, rollout, rolloutId, ringIndex);
                }
                p.runBody(s.variables());
                p.save();
            }
            case WAIT_WINDOW -> await(p, Phase.WINDOW, s.opensAt());
            default -> await(p, Phase.BAKING, p.now());
        }
    }

    /** Records the deploy's outcome (RECORDING, and again after a restart), then bakes or fails. */
    public void recordDeploy(Port p) throws Exception {
        Throwable failure;
        synchronized (this) {
            failure = deployFailure;
        }
        StageView v = p.service().deployed(rollout, rolloutId, ringIndex, failure == null,
                failure == null ? "the canaryStage body succeeded" : "the canaryStage body failed: " + failure, p.caller());
        p.changed();
        if (failure != null) {
            p.fail(failure);
        } else {
            act(p, v, 0);
        }
    }

    /** The timer fired or the rollout changed: measure what is due, look for a person, or enter at the opening. */
    public void look(Port p) throws Exception {
        Phase at = phase;
        try {
            if (at == Phase.WINDOW) {
                phase = Phase.STARTING;
                enter(p);
                return;
            }
            if (at != Phase.BAKING && at != Phase.WAITING) return;
            RolloutService service = p.service();
            StageView v = at == Phase.WAITING
                    ? service.look(rollout, rolloutId, ringIndex, (s, i) -> deployInFlight(p, s, i))
                    : service.tick(rollout, rolloutId, ringIndex, (s, i) -> deployInFlight(p, s, i), p.caller());
            act(p, v, MIN_LOOK_GAP_MILLIS);
        } catch (StageException e) {
            if (e.reason() != StageException.Reason.STORE) throw e;
            // the store may come back (a network file system, a database restart): look again later
            p.log(e.getMessage() + "; trying again in " + StageLogic.WAIT_POLL.toSeconds() + "s");
            await(p, at, p.now().plus(StageLogic.WAIT_POLL));
        }
    }

    private void act(Port p, StageView v, long minDelayMillis) throws Exception {
        switch (v.kind()) {
            case PASSED -> {
                p.log(v.message());
                p.succeed(StatusMap.of(v.state(), p.now()));
            }
            case FAILED -> p.fail("canaryStage: " + v.message());
            case REDEPLOY -> {
                p.log(v.message());
                phase = Phase.STARTING;
                enter(p);
            }
            case WAITING -> {
                if (phase != Phase.WAITING) {
                    p.log(v.message());
                    p.printLinks();
                }
                await(p, Phase.WAITING, later(p.now(), v.wakeAt(), minDelayMillis));
            }
            case BAKING -> await(p, Phase.BAKING, later(p.now(), v.wakeAt(), minDelayMillis));
        }
    }

    private boolean deployInFlight(Port p, RolloutState s, int index) {
        // this controller's live deploys; the service adds the drivers elsewhere that hold the key's lease
        return p.deploys().deploying(rollout, s.id(), index, token);
    }

    private static Instant later(Instant now, Instant wakeAt, long minDelayMillis) {
        Instant at = wakeAt == null ? now.plus(StageLogic.WAIT_POLL) : wakeAt;
        return at.isBefore(now.plusMillis(minDelayMillis)) ? now.plusMillis(minDelayMillis) : at;
    }

    /** Sleeps on the timer until {@code at}; persists only when the phase changes, not at every tick. */
    private void await(Port p, Phase next, Instant at) {
        boolean changed;
        synchronized (this) {
            if (phase == Phase.DONE) return;
            changed = phase != next;
            phase = next;
            long delay = Math.max(0, at.toEpochMilli() - p.now().toEpochMilli());
            wakeAtMillis = p.now().toEpochMilli() + delay;
            p.arm(delay);
        }
        if (changed) p.save();
    }

    // ---- the Pipeline's callbacks --------------------------------------------------------------------------------

    /**
     * The body ended ({@code interrupted}: by Abort or a timeout around it). An interruption is not a failed deploy:
     * how far it got is unknown, so the ring stays DEPLOYING and the next stage for it deploys it again, or a person
     * rolls back. Returns true when the outcome must be recorded ({@link #recordDeploy} on a worker).
     */
    public boolean bodyEnded(Port p, Throwable failure, boolean interrupted) {
        synchronized (this) {
            p.deploys().unregister(token);
            if (phase == Phase.DONE) return false;
            if (!interrupted) {
                phase = Phase.RECORDING;
                deployFailure = failure;
            }
        }
        if (interrupted) {
            p.log("the deploy of ring " + ring + " was interrupted; ring " + ring + " stays DEPLOYING: the next"
                    + " canaryStage for it deploys it again, or roll the rollout back");
            p.fail(failure);
            return false;
        }
        p.save();
        return true;
    }

    /** Whether a look may start now; false when one is running (it looks again when it ends) or the stage ended. */
    public synchronized boolean beginLook() {
        if (phase == Phase.DONE) return false;
        if (busy) {
            lookAgain = true;
            return false;
        }
        busy = true;
        return true;
    }

    /** A look ended; true when another was asked for meanwhile. */
    public synchronized boolean endLook() {
        busy = false;
        boolean again = lookAgain;
        lookAgain = false;
        return again;
    }

    /** Whether the stage sleeps on its timer (a change of the rollout should wake it). */
    public boolean sleeping() {
        Phase now = phase;
        return now == Phase.BAKING || now == Phase.WAITING || now == Phase.WINDOW;
    }

    /** What to do after a restart: the move that was cut short, or the timer for the persisted moment. */
    public enum Resume {
        ENTER,
        RECORD,
        REARM,
        NOTHING
    }

    public Resume resume(Port p) {
        switch (phase) {
            case STARTING -> {
                return Resume.ENTER;
            }
            case RECORDING -> {
                return Resume.RECORD;
            }
            case DEPLOYING -> {
                p.deploys().register(token, rollout, rolloutId, ringIndex); // the body resumes by itself
                return Resume.NOTHING;
            }
            case BAKING, WAITING, WINDOW -> {
                p.log("resuming ring " + ring + " of " + rollout + " after a restart");
                p.arm(Math.max(0, wakeAtMillis - p.now().toEpochMilli()));
                return Resume.REARM;
            }
            default -> {
                return Resume.NOTHING;
            }
        }
    }

    /** The step ended: nothing more happens, and its deploy (if any) no longer counts as live. */
    public void ended(LiveDeploys deploys) {
        phase = Phase.DONE;
        deploys.unregister(token);
    }

    public String status() {
        return switch (phase) {
            case STARTING -> "entering ring " + ring + " of " + rollout;
            case DEPLOYING -> "deploying ring " + ring + " of " + rollout;
            case RECORDING -> "recording the deploy of ring " + ring + " of " + rollout;
            case BAKING -> "baking ring " + ring + " of " + rollout + "; next look at " + Stamps.of(Instant.ofEpochMilli(wakeAtMillis));
            case WAITING -> "ring " + ring + " of " + rollout + " waits for Promote or Rollback";
            case WINDOW -> "ring " + ring + " of " + rollout + " waits for its deployment window; deploying at "
                    + Stamps.of(Instant.ofEpochMilli(wakeAtMillis));
            case DONE -> "done with ring " + ring + " of " + rollout;
        };
    }
}
