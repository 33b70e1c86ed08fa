package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.glue.BuildLog;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StatusMap;
import io.jenkins.plugins.stagedrollout.web.RolloutRunAction;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.RolloutVariables;
import io.stagedrollout.core.machine.Status;
import java.io.IOException;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code rollback(rollout: 'checkout/production', reason: 'pipeline failed') { sh './deploy.sh --revert' }}:
 * records the rollback (failing a {@code canaryStage} that waits on the rollout), runs the body as the revert with
 * {@code ROLLOUT_VERSION} set to the stable version, and marks the rollout ROLLED_BACK (or FAILED when the body
 * fails). Without a body the plan's {@code revert} action runs, if the plan has one.
 */
public final class RollbackStep extends Step {
    private final String rollout;
    private final String reason;

    @DataBoundConstructor
    public RollbackStep(String rollout, String reason) {
        this.rollout = rollout;
        this.reason = reason;
    }

    public String getRollout() {
        return rollout;
    }

    public String getReason() {
        return reason;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(rollout, reason, context);
    }

    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        /** Also kept by StepExecution; held here as well so unit tests against the compile-only stand-in see it. */
        private final StepContext context;
        private final String rollout;
        private final String reason;

        Execution(String rollout, String reason, StepContext context) {
            super(context);
            this.context = context;
            this.rollout = rollout;
            this.reason = reason;
        }

        @Override
        public boolean start() throws Exception {
            boolean hasBody = context.hasBody();
            Run<?, ?> run = context.get(Run.class);
            RolloutRunAction.record(run, rollout);
            if (!hasBody) {
                // the plan's revert action may take a while (a webhook, a command): not on the CPS thread
                Rollouts.host().timer().execute(this::rollbackWithPlanAction);
                return false;
            }
            EngineResult r = record(false);
            RolloutState s = r.state();
            if (s.status() != Status.ROLLING_BACK) {
                log().line("nothing to revert: " + r.message());
                context.onSuccess(StatusMap.of(s));
                return true;
            }
            log().line("reverting " + s.version() + " to " + (s.stableVersion() == null ? "the stable version" : s.stableVersion()));
            context.newBodyInvoker()
                    .withContext(new RolloutEnvironment(context.get(EnvironmentExpander.class), RolloutVariables.forRevert(s)))
                    .withCallback(new RevertCallback(rollout))
                    .start();
            return false;
        }

        private void rollbackWithPlanAction() {
            try {
                EngineResult r = record(true);
                RolloutState s = r.state();
                if (s.status() == Status.ROLLING_BACK) {
                    log().line("the rollout is ROLLING_BACK and the plan has no revert action: run rollback with a body"
                            + " (the revert commands) to finish it");
                } else {
                    log().line(r.message());
                }
                context.onSuccess(StatusMap.of(s));
            } catch (Exception e) {
                context.onFailure(e);
            }
        }

        private EngineResult record(boolean runRevertAction) throws IOException, InterruptedException {
            try {
                EngineResult r = Rollouts.host().service().rollback(rollout, reason, actor(context), runRevertAction, log());
                Rollouts.host().changed(rollout);
                return r;
            } catch (StageException e) {
                throw new AbortException("rollback: " + e.getMessage());
            }
        }

        private BuildLog log() {
            return log(context);
        }

        static BuildLog log(StepContext context) {
            try {
                TaskListener l = context.get(TaskListener.class);
                return new BuildLog(l == null ? TaskListener.NULL : l);
            } catch (IOException | InterruptedException e) {
                return new BuildLog(TaskListener.NULL);
            }
        }

        static Actor actor(StepContext context) {
            try {
                return JenkinsActors.forBuild(context.get(Run.class));
            } catch (IOException | InterruptedException e) {
                return JenkinsActors.forBuild(null);
            }
        }
    }

    /** The revert (the body) ended: record it, then end the step the way the body ended. */
    private static final class RevertCallback extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;
        private final String rollout;

        RevertCallback(String rollout) {
            this.rollout = rollout;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            try {
                EngineResult r = Rollouts.host().service().revertFinished(rollout, true, "the rollback body succeeded",
                        Execution.actor(context));
                Rollouts.host().changed(rollout);
                Execution.log(context).line(r.message());
                context.onSuccess(StatusMap.of(r.state()));
            } catch (StageException | RuntimeException e) {
                context.onFailure(e instanceof StageException ? new AbortException("rollback: " + e.getMessage()) : e);
            }
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            try {
                Rollouts.host().service().revertFinished(rollout, false, "the rollback body failed: " + t, Execution.actor(context));
                Rollouts.host().changed(rollout);
            } catch (StageException | RuntimeException e) {
                t.addSuppressed(e);
            }
            context.onFailure(t);
        }
    }

    @Extension
    @Symbol("rollback")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "rollback";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Roll back a staged rollout";
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
