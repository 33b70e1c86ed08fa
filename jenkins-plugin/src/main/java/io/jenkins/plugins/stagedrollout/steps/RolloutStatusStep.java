package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StatusMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code def s = rolloutStatus(rollout: 'checkout/production')}: the rollout as a map (status, ring, version,
 * stableVersion, lastGoodVersion, verdict, ...); status {@code NONE} when the key never had a rollout.
 */
public final class RolloutStatusStep extends Step {
    private final String rollout;

    @DataBoundConstructor
    public RolloutStatusStep(String rollout) {
        this.rollout = rollout;
    }

    public String getRollout() {
        return rollout;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(rollout, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;
        /** Also kept by StepExecution; held here as well so unit tests against the compile-only stand-in see it. */
        private final StepContext context;
        private final String rollout;

        Execution(String rollout, StepContext context) {
            super(context);
            this.context = context;
            this.rollout = rollout;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            try {
                return Rollouts.host().service().read(rollout).map(s -> StatusMap.of(s, Rollouts.host().now())).orElseGet(() -> StatusMap.none(rollout));
            } catch (StageException e) {
                throw new AbortException("rolloutStatus: " + e.getMessage());
            }
        }
    }

    @Extension
    @Symbol("rolloutStatus")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "rolloutStatus";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "Read the status of a staged rollout";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of();
        }
    }
}
