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
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code promote(rollout: 'checkout/production', ring: 'early-adopters')}: promotes the named ring (or the current
 * one) and releases the {@code canaryStage} waiting for it, in this build or another. Promoting a ring that was
 * already promoted changes nothing and succeeds.
 */
public final class PromoteStep extends Step {
    private final String rollout;
    private String ring;

    @DataBoundConstructor
    public PromoteStep(String rollout) {
        this.rollout = rollout;
    }

    public String getRollout() {
        return rollout;
    }

    public String getRing() {
        return ring;
    }

    /** The ring to promote; without it, the current ring. Naming it makes a repeated promote harmless. */
    @DataBoundSetter
    public void setRing(String ring) {
        this.ring = CanaryStageStep.blankToNull(ring);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        /** Also kept by StepExecution; held here as well so unit tests against the compile-only stand-in see it. */
        private final StepContext context;
        private final transient PromoteStep step;

        Execution(PromoteStep step, StepContext context) {
            super(context);
            this.context = context;
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> run = context.get(Run.class);
            BuildLog log = new BuildLog(context.get(TaskListener.class));
            try {
                EngineResult r = Rollouts.host().service().promote(step.rollout, step.ring, JenkinsActors.forBuild(run));
                Rollouts.host().changed(step.rollout);
                RolloutRunAction.record(run, step.rollout);
                log.line((r.kind() == EngineResult.Kind.ALREADY_DONE ? "already done: " : "promoted: ") + r.message());
                return StatusMap.of(r.state());
            } catch (StageException e) {
                throw new AbortException("promote: " + e.getMessage());
            }
        }
    }

    @Extension
    @Symbol("promote")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "promote";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Promote a ring of a staged rollout";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(TaskListener.class, Run.class);
        }
    }
}
