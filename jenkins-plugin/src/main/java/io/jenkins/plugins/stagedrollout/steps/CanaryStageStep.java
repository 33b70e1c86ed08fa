package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.glue.BuildLog;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StageLogic;
import io.jenkins.plugins.stagedrollout.logic.StageStart;
import io.jenkins.plugins.stagedrollout.logic.StageView;
import io.jenkins.plugins.stagedrollout.logic.StatusMap;
import io.jenkins.plugins.stagedrollout.web.RolloutRunAction;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.policy.Freeze;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code canaryStage(rollout: 'checkout/production', ring: 'canary', version: env.GIT_COMMIT, plan: 'rollout.yaml') { sh './deploy.sh' }}
 *
 * <p>Starts the rollout (or attaches to the same version's), runs the body as the ring's deploy with the
 * {@code ROLLOUT_*} variables, then bakes: a durable timer, like {@code sleep}, wakes the step when the next gate
 * measurement or the end of the bake is due, so no executor and no CPS thread is held while the ring bakes. A ring
 * that needs a person waits, like {@code input}, for Promote or Rollback on the build page (or a {@code promote}
 * step elsewhere). A ring outside its deployment window or in a freeze waits for the opening on the same durable
 * timer, then deploys.
 */
public final class CanaryStageStep extends Step {
    private final String rollout;
    private final String ring;
    private String version;
    private String plan;
    private String planText;
    private String overrideWindowReason;

    @DataBoundConstructor
    public CanaryStageStep(String rollout, String ring) {
        this.rollout = rollout;
        this.ring = ring;
    }

    public String getRollout() {
        return rollout;
    }

    public String getRing() {
        return ring;
    }

    public String getVersion() {
        return version;
    }

    /** The version to roll out; required on the stage that starts the rollout. */
    @DataBoundSetter
    public void setVersion(String version) {
        this.version = blankToNull(version);
    }

    public String getPlan() {
        return plan;
    }

    /** The plan file, relative to the workspace (the step then needs a {@code node}). */
    @DataBoundSetter
    public void setPlan(String plan) {
        this.plan = blankToNull(plan);
    }

    public String getPlanText() {
        return planText;
    }

    /** The plan itself, e.g. {@code readTrusted('rollout.yaml')}, for a stage outside any {@code node}. */
    @DataBoundSetter
    public void setPlanText(String planText) {
        this.planText = blankToNull(planText);
    }

    public String getOverrideWindowReason() {
        return overrideWindowReason;
    }

    /**
     * Deploys the ring even outside its deployment window or in a freeze; the reason is journaled with the override.
     * Without it the stage waits for the opening.
     */
    @DataBoundSetter
    public void setOverrideWindowReason(String overrideWindowReason) {
        this.overrideWindowReason = blankToNull(overrideWindowReason);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The plan the step names, or null; the message names the argument that is wrong. */
    @CheckForNull
    RolloutPlan readPlan(@CheckForNull FilePath workspace, RolloutService service) throws IOException, InterruptedException {
        if (plan != null && planText != null) {
            throw new AbortException("canaryStage: give plan: (a file) or planText: (its content), not both");
        }
        String text = planText;
        String source = "planText";
        if (plan != null) {
            if (workspace == null) {
                throw new AbortException("canaryStage: plan: '" + plan + "' is a workspace file, and this step runs"
                        + " outside node { }; run it inside node { } or pass planText: readTrusted('" + plan + "')");
            }
            FilePath file = workspace.child(plan);
            if (!file.exists()) throw new AbortException("canaryStage: plan: '" + plan + "' does not exist in " + workspace.getRemote());
            text = file.readToString();
            source = plan;
        }
        if (text == null) return null;
        try {
            return service.readPlan(text);
        } catch (InvalidPlanException e) {
            throw new AbortException("canaryStage: the plan " + source + " is not valid:\n" + e.getMessage());
        }
    }

    /** One ring's deploy and bake. Serialized with the pipeline; the timer is re-armed after a restart. */
    public static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private static final Logger LOGGER = Logger.getLogger(Execution.class.getName());
        private static final long MIN_TICK_GAP_MILLIS = 1000;

        enum Phase {
            STARTING,
            DEPLOYING,
            /** The ring is outside its deployment window or in a freeze: enter the stage again at the opening. */
            WINDOW,
            BAKING,
            WAITING,
            DONE
        }

        /** Also kept by StepExecution; held here as well so unit tests against the compile-only stand-in see it. */
        private final StepContext context;
        private final transient CanaryStageStep step;
        private final String rollout;
        private final String ring;
        /** Kept for entering the stage again when the ring's window opens (the step itself is not serialized). */
        private final String version;
        private final String overrideWindowReason;
        private int ringIndex = -1;
        private volatile Phase phase = Phase.STARTING;
        /** When the timer fires next, as wall-clock millis, so a restart re-arms it for the same moment. */
        private long wakeAtMillis;
        private BodyExecution body;
        /** The build was stopped: the deploy it interrupted is not a failed deploy. */
        private volatile boolean stopped;
        private transient volatile ScheduledFuture<?> task;
        /** The controller this execution was started or resumed under; its timers do nothing under another. */
        private transient volatile Object controller;

        Execution(CanaryStageStep step, StepContext context) {
            super(context);
            this.context = context;
            this.step = step;
            this.rollout = step.rollout;
            this.ring = step.ring;
            this.version = step.version;
            this.overrideWindowReason = step.overrideWindowReason;
        }

        @Override
        public boolean start() throws Exception {
            controller = Rollouts.host().controller();
            Run<?, ?> run = context.get(Run.class);
            StageStart s;
            try {
                RolloutService service = Rollouts.host().service();
                RolloutPlan plan = step.readPlan(step.plan == null ? null : context.get(FilePath.class), service);
                s = service.enterStage(rollout, ring, version, plan, context.hasBody(), overrideWindowReason,
                        hostFreezes(), actor(), log());
            } catch (StageException e) {
                throw new AbortException("canaryStage: " + e.getMessage());
            }
            ringIndex = s.ringIndex();
            RolloutRunAction.record(run, rollout);
            return begin(s);
        }

        /** Carries out how the stage begins; true when it is already done. */
        private boolean begin(StageStart s) throws IOException, InterruptedException {
            log().line(s.message());
            switch (s.next()) {
                case PASSED -> {
                    phase = Phase.DONE;
                    cancelTimer();
                    context.onSuccess(StatusMap.of(s.state(), Rollouts.host().now()));
                    return true;
                }
                case RUN_BODY -> {
                    phase = Phase.DEPLOYING;
                    body = context.newBodyInvoker()
                            .withContext(new RolloutEnvironment(context.get(EnvironmentExpander.class), s.variables()))
                            .withCallback(new DeployCallback(this))
                            .start();
                    context.saveState();
                    return false;
                }
                case WAIT_WINDOW -> {
                    phase = Phase.WINDOW;
                    armTimer(Math.max(MIN_TICK_GAP_MILLIS, s.opensAt().toEpochMilli() - Rollouts.host().now().toEpochMilli()));
                    context.saveState(); // persists wakeAtMillis: a restart re-arms the timer for the opening
                    return false;
                }
                default -> {
                    phase = Phase.BAKING;
                    armTimer(0);
                    return false;
                }
            }
        }

        /** The ring's deployment window opened (or its freeze ended): enter the stage again, without the plan. */
        private void enterAgain() {
            try {
                StageStart s = Rollouts.host().service().enterStage(rollout, ring, version, null, context.hasBody(),
                        overrideWindowReason, hostFreezes(), actor(), log());
                synchronized (this) {
                    if (phase == Phase.DONE) return; // stopped meanwhile
                }
                begin(s);
            } catch (StageException e) {
                if (e.reason() == StageException.Reason.STORE) {
                    LOGGER.log(Level.WARNING, "rollout " + rollout + ": " + e.getMessage(), e);
                    log().line(e.getMessage() + "; trying again in " + StageLogic.WAIT_POLL.toSeconds() + "s");
                    phase = Phase.WINDOW;
                    armTimer(StageLogic.WAIT_POLL.toMillis());
                } else {
                    finish(null, new AbortException("canaryStage: " + e.getMessage()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                phase = Phase.WINDOW;
                armTimer(StageLogic.WAIT_POLL.toMillis());
            } catch (IOException | RuntimeException e) {
                finish(null, e);
            }
        }

        /**
         * Freezes the build announces: {@code CI_DEPLOY_FREEZE} set (not "false" or "0") in its environment, e.g. by
         * a global property an administrator sets for a freeze period. Its end is not known, so such a stage fails.
         */
        private List<Freeze> hostFreezes() {
            try {
                EnvVars env = context.get(EnvVars.class);
                if (env == null) return List.of();
                return Freeze.fromGitLab(env).map(f -> List.of(new Freeze(null, null, "deploy freeze ("
                        + Freeze.GITLAB_VARIABLE + " is set in the build's environment)"))).orElse(List.of());
            } catch (IOException | InterruptedException e) {
                return List.of();
            }
        }

        /** The body (the ring's deploy) ended. */
        void deployFinished(Throwable failure) {
            body = null;
            if (stopped) {
                // unknown how far the deploy got: the ring stays DEPLOYING and the next canaryStage deploys it again
                log().line("the build was stopped during the deploy of ring " + ring + "; the next canaryStage for it"
                        + " deploys it again");
                finish(null, failure);
                return;
            }
            try {
                StageView v = Rollouts.host().service().deployed(rollout, ringIndex, failure == null,
                        failure == null ? "the canaryStage body succeeded" : "the canaryStage body failed: " + failure,
                        actor(), log());
                if (failure != null) {
                    finish(null, failure);
                    return;
                }
                act(v);
            } catch (StageException | RuntimeException e) {
                finish(null, failure != null ? failure : e instanceof StageException ? new AbortException(e.getMessage()) : e);
            }
        }

        /** The timer fired: measure what is due (baking) or look for a promote or rollback (waiting). */
        void wake() {
            if (controller != Rollouts.host().controller()) return; // armed before a restart: the resumed copy acts
            Phase p;
            synchronized (this) {
                p = phase;
            }
            if (p == Phase.WINDOW) {
                synchronized (this) {
                    if (phase != Phase.WINDOW) return; // another wake-up got here first: deploy once
                    phase = Phase.STARTING;
                }
                enterAgain();
                return;
            }
            if (p != Phase.BAKING && p != Phase.WAITING) return;
            try {
                StageView v = p == Phase.WAITING
                        ? Rollouts.host().service().look(rollout, ringIndex)
                        : Rollouts.host().service().tick(rollout, ringIndex, actor(), log());
                act(v, MIN_TICK_GAP_MILLIS);
            } catch (StageException e) {
                if (e.reason() == StageException.Reason.STORE) {
                    // the store may come back (a network file system, a database restart): look again later
                    LOGGER.log(Level.WARNING, "rollout " + rollout + ": " + e.getMessage(), e);
                    log().line(e.getMessage() + "; trying again in " + StageLogic.WAIT_POLL.toSeconds() + "s");
                    armTimer(StageLogic.WAIT_POLL.toMillis());
                } else {
                    finish(null, new AbortException("canaryStage: " + e.getMessage()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                armTimer(StageLogic.WAIT_POLL.toMillis());
            } catch (RuntimeException e) {
                finish(null, e);
            }
        }

        /** Another build, a page or this controller's promote/rollback changed {@code key}: look now. */
        public void rolloutChanged(String key) {
            if (!rollout.equals(key)) return;
            synchronized (this) {
                if (phase != Phase.WAITING && phase != Phase.BAKING && phase != Phase.WINDOW) return;
            }
            cancelTimer();
            Rollouts.host().timer().execute(this::wake);
        }

        private void act(StageView v) {
            act(v, 0);
        }

        /** @param minDelayMillis the least time until the next wake-up, so a rollout stuck at "due now" cannot spin */
        private void act(StageView v, long minDelayMillis) {
            synchronized (this) {
                if (phase == Phase.DONE) return;
                switch (v.kind()) {
                    case PASSED -> {
                        log().line(v.message());
                        finish(StatusMap.of(v.state(), Rollouts.host().now()), null);
                        return;
                    }
                    case FAILED -> {
                        finish(null, new AbortException("canaryStage: " + v.message()));
                        return;
                    }
                    case WAITING -> {
                        if (phase != Phase.WAITING) {
                            phase = Phase.WAITING;
                            log().line(v.message());
                            printLinks();
                        }
                    }
                    case BAKING -> phase = Phase.BAKING;
                }
            }
            Instant at = v.wakeAt() == null ? Rollouts.host().now().plus(StageLogic.WAIT_POLL) : v.wakeAt();
            armTimer(Math.max(minDelayMillis, at.toEpochMilli() - Rollouts.host().now().toEpochMilli()));
            context.saveState(); // persists wakeAtMillis, so a restart re-arms the timer for the same moment
        }

        private void finish(Object result, Throwable failure) {
            synchronized (this) {
                if (phase == Phase.DONE) return;
                phase = Phase.DONE;
            }
            cancelTimer();
            if (failure == null) {
                context.onSuccess(result);
            } else {
                context.onFailure(failure);
            }
        }

        private void armTimer(long delayMillis) {
            cancelTimer();
            wakeAtMillis = Rollouts.host().now().toEpochMilli() + Math.max(0, delayMillis);
            task = Rollouts.host().timer().schedule(this::wake, delayMillis, TimeUnit.MILLISECONDS);
        }

        private void cancelTimer() {
            ScheduledFuture<?> t = task;
            if (t != null) t.cancel(false);
        }

        @Override
        public void onResume() {
            controller = Rollouts.host().controller();
            // like SleepStep: the bake's next moment was persisted as wall-clock time; a body resumes by itself
            if (phase == Phase.BAKING || phase == Phase.WAITING || phase == Phase.WINDOW) {
                log().line("resuming ring " + ring + " of " + rollout + " after a restart");
                armTimer(Math.max(0, wakeAtMillis - Rollouts.host().now().toEpochMilli()));
            }
        }

        @Override
        public void stop(@NonNull Throwable cause) throws Exception {
            stopped = true;
            cancelTimer();
            BodyExecution b = body;
            if (b != null) {
                b.cancel(cause); // the deploy callback records the failed deploy and ends the step
                return;
            }
            // the rollout itself stays where it is: a later canaryStage for this ring attaches to its bake
            finish(null, cause);
        }

        @Override
        public String getStatus() {
            return switch (phase) {
                case DEPLOYING -> "deploying ring " + ring + " of " + rollout;
                case BAKING -> "baking ring " + ring + " of " + rollout + "; next look at " + Instant.ofEpochMilli(wakeAtMillis);
                case WAITING -> "ring " + ring + " of " + rollout + " waits for Promote or Rollback";
                case WINDOW -> "ring " + ring + " of " + rollout + " waits for its deployment window; deploying at "
                        + Instant.ofEpochMilli(wakeAtMillis);
                default -> phase.name().toLowerCase() + " ring " + ring + " of " + rollout;
            };
        }

        String rollout() {
            return rollout;
        }

        Phase phase() {
            return phase;
        }

        long wakeAtMillis() {
            return wakeAtMillis;
        }

        private void printLinks() {
            try {
                Run<?, ?> run = context.get(Run.class);
                TaskListener listener = context.get(TaskListener.class);
                if (run != null && listener != null) {
                    listener.getLogger().print(BuildLog.PREFIX);
                    listener.hyperlink("/" + run.getUrl() + RolloutRunAction.URL_NAME + "/", "Promote or Roll back ring " + ring);
                    listener.getLogger().println();
                }
            } catch (IOException | InterruptedException e) {
                LOGGER.log(Level.FINE, "no build log for the approval link", e);
            }
        }

        private Actor actor() {
            try {
                return JenkinsActors.forBuild(context.get(Run.class));
            } catch (IOException | InterruptedException e) {
                return JenkinsActors.forBuild(null);
            }
        }

        private BuildLog log() {
            try {
                TaskListener l = context.get(TaskListener.class);
                return new BuildLog(l == null ? TaskListener.NULL : l);
            } catch (IOException | InterruptedException e) {
                return new BuildLog(TaskListener.NULL);
            }
        }
    }

    /** Ends the deploy: records it in the rollout and carries on with the bake, or fails the stage. */
    private static final class DeployCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final Execution execution;

        DeployCallback(Execution execution) {
            this.execution = execution;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            execution.deployFinished(null);
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            execution.deployFinished(t);
        }
    }

    @Extension
    @Symbol("canaryStage")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "canaryStage";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Deploy and bake one ring of a staged rollout";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(TaskListener.class, Run.class);
        }
    }
}
