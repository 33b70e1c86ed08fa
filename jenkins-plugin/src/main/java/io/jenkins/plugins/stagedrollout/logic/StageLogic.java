package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import java.time.Duration;
import java.time.Instant;

/**
 * The decisions of one {@code canaryStage}, as pure functions of the stored rollout state, so that the Jenkins step
 * only carries them out: which ring the stage may deploy, and what the stage should do while its ring bakes.
 */
public final class StageLogic {
    /** How often a stage that waits for a person re-reads the store (a promote from the CLI or another controller). */
    public static final Duration WAIT_POLL = Duration.ofSeconds(15);

    private StageLogic() {}

    /** What a stage for ring {@code ringIndex} finds when it starts. */
    public enum Entry {
        /** Deploy the ring: it is the next one. */
        DEPLOY,
        /** The ring's deploy was interrupted (the build that ran it was stopped or died): deploy it again. */
        REDEPLOY,
        /** The ring is deployed, or being deployed by a live stage, and bakes or waits: attach to it. */
        ATTACH,
        /** The ring already passed: nothing to do. */
        PASSED
    }

    /**
     * Where a stage for ring {@code ringIndex} stands.
     *
     * @param deployInFlight whether someone (a live stage, a driver holding the lease) deploys the ring now: a ring
     *     that is DEPLOYING is then attached to, never deployed a second time at once
     * @throws StageException when the ring is not the current or next one, or the rollout is over
     */
    public static Entry entry(RolloutState s, int ringIndex, boolean deployInFlight) throws StageException {
        String ring = s.plan().ring(ringIndex).name();
        int current = s.ringIndex();
        Status st = s.status();
        if (st == Status.COMPLETED || ringIndex < current || (ringIndex == current && st == Status.PROMOTING)) {
            return Entry.PASSED;
        }
        if (st.isTerminal() || st == Status.ROLLING_BACK) {
            throw new StageException(StageException.Reason.FINISHED, "rollout " + s.key() + " of " + s.version()
                    + " is " + st + (s.reason() == null ? "" : ": " + s.reason()) + "; ring " + ring + " cannot run");
        }
        boolean next = (st == Status.PENDING && ringIndex == 0) || (st == Status.PROMOTING && ringIndex == current + 1);
        if (next) return Entry.DEPLOY;
        if (ringIndex == current) {
            return st == Status.DEPLOYING && !deployInFlight ? Entry.REDEPLOY : Entry.ATTACH;
        }
        String at = current < 0 ? "no ring deployed yet" : "ring " + s.ringName() + " is " + st;
        throw new StageException(StageException.Reason.CONFLICT, "ring " + ring + " cannot start: " + at
                + " in rollout " + s.key() + " (" + s.version() + "); stages must run in the plan's ring order");
    }

    /** What a stage for ring {@code ringIndex} should do now. {@code now} is the clock of the caller. */
    public static StageView view(RolloutState s, int ringIndex, Instant now) {
        return view(s, ringIndex, now, true);
    }

    /**
     * As {@link #view(RolloutState, int, Instant)}; a ring that is DEPLOYING with nobody deploying it
     * ({@code deployInFlight} false: the deploying build was stopped or died) is {@link StageView.Kind#REDEPLOY}.
     */
    public static StageView view(RolloutState s, int ringIndex, Instant now, boolean deployInFlight) {
        if (s.status() == Status.DEPLOYING && s.ringIndex() == ringIndex && !deployInFlight) {
            return new StageView(StageView.Kind.REDEPLOY, s, null, "the deploy of ring " + ringName(s, ringIndex)
                    + " was interrupted; deploying it again");
        }
        int current = s.ringIndex();
        Status st = s.status();
        if (st == Status.COMPLETED || ringIndex < current || (ringIndex == current && st == Status.PROMOTING)) {
            return new StageView(StageView.Kind.PASSED, s, null, passedMessage(s, ringIndex));
        }
        switch (st) {
            case ROLLING_BACK, ROLLED_BACK, FAILED, ABORTED -> {
                String why = s.verdict() != null && s.verdict().ring().equals(ringName(s, ringIndex))
                        && s.verdict().verdict() != io.stagedrollout.core.gate.Verdict.PASS
                        ? "ring " + ringName(s, ringIndex) + " " + s.verdict().verdict() + ": " + s.verdict().reason()
                        : "rollout " + s.key() + " is " + st + (s.reason() == null ? "" : ": " + s.reason());
                if (st == Status.ROLLING_BACK && (s.verdict() == null || s.verdict().verdict()
                        == io.stagedrollout.core.gate.Verdict.PASS)) {
                    why = "rollout " + s.key() + " is being rolled back" + (s.reason() == null ? "" : ": " + s.reason());
                }
                return new StageView(StageView.Kind.FAILED, s, null, why);
            }
            case AWAITING_APPROVAL -> {
                return new StageView(StageView.Kind.WAITING, s, now.plus(WAIT_POLL), holdMessage(s));
            }
            default -> {
                // BAKING: tick now, and the engine says when the next measurement is due; DEPLOYING or PENDING (another
                // build deploys this ring): look again in a while
                Instant wake = st == Status.BAKING ? now : now.plus(WAIT_POLL);
                return new StageView(StageView.Kind.BAKING, s, wake, null);
            }
        }
    }

    static String ringName(RolloutState s, int i) {
        return s.plan().ring(i).name();
    }

    static String passedMessage(RolloutState s, int ringIndex) {
        String ring = ringName(s, ringIndex);
        if (s.status() == Status.COMPLETED) return "ring " + ring + " passed; rollout of " + s.version() + " completed";
        return "ring " + ring + " passed and was promoted";
    }

    static String holdMessage(RolloutState s) {
        String hold = s.hold() == null ? "approval" : s.hold();
        String head = switch (hold) {
            case "approval" -> "ring " + s.ringName() + " passed and waits for a person to promote it";
            case "inconclusive" -> "ring " + s.ringName() + " is held: its gates were inconclusive";
            case "failed" -> "ring " + s.ringName() + " is held: its gates failed";
            default -> "ring " + s.ringName() + " is held (" + hold + ")";
        };
        return s.reason() == null ? head : head + " (" + s.reason() + ")";
    }
}
