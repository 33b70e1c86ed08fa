package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.StatusMap;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code def s = rolloutStatus(rollout: 'checkout/production')}: the rollout as a map (id, status, ring, version,
 * stableVersion, lastGoodVersion, verdict, ...); status {@code NONE} when the key never had a rollout. Reads only.
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

    static final class Execution extends RolloutExecution {
        private static final long serialVersionUID = 2L;

        Execution(String rollout, StepContext context) {
            super(context, rollout);
        }

        @Override
        protected String stepName() {
            return "rolloutStatus";
        }

        @Override
        public boolean start() {
            offload(this::read);
            return false;
        }

        private void read() throws Exception {
            succeed(Rollouts.host().service().read(rollout).map(s -> StatusMap.of(s, Rollouts.host().now()))
                    .orElseGet(() -> StatusMap.none(rollout)));
        }

        @Override
        public void onResume() {
            if (!isDone()) offload(this::read);
        }

        @Override
        public String getStatus() {
            return "reading rollout " + rollout;
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
