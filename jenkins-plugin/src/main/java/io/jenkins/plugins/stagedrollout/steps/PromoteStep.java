package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StatusMap;
import io.jenkins.plugins.stagedrollout.logic.StepAuthorization;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Target;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code promote(rollout: 'checkout/production', ring: 'early-adopters', rolloutId: status.id)}: promotes the named
 * ring (or the current one) of the named rollout and releases the {@code canaryStage} waiting for it, in this build or
 * another. Promoting a ring that was already promoted changes nothing and succeeds; a newer rollout is never promoted
 * in place of the one meant.
 */
public final class PromoteStep extends Step {
    private final String rollout;
    private String ring;
    private String rolloutId;
    private String version;
    private List<CredentialBinding> credentials = List.of();

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

    public String getRolloutId() {
        return rolloutId;
    }

    /** Promotes only rollout {@code rolloutId}; a newer rollout of the key is refused. */
    @DataBoundSetter
    public void setRolloutId(String rolloutId) {
        this.rolloutId = CanaryStageStep.blankToNull(rolloutId);
    }

    public String getVersion() {
        return version;
    }

    /** Promotes only a rollout of {@code version}. */
    @DataBoundSetter
    public void setVersion(String version) {
        this.version = CanaryStageStep.blankToNull(version);
    }

    public List<CredentialBinding> getCredentials() {
        return credentials;
    }

    /** Secret text credentials the plan's notifications read by name. */
    @DataBoundSetter
    public void setCredentials(List<CredentialBinding> credentials) {
        this.credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new Execution(this, CredentialBinding.check("promote", credentials), context);
        } catch (StageException e) {
            throw new AbortException(e.getMessage());
        }
    }

    static final class Execution extends RolloutExecution {
        private static final long serialVersionUID = 2L;
        /** The ring and rollout this promote means, pinned before it acts: a restart never promotes a second ring. */
        private String ring;
        private String rolloutId;
        private final String version;
        private final LinkedHashMap<String, String> credentials;

        Execution(PromoteStep step, Map<String, String> credentials, StepContext context) {
            super(context, step.rollout);
            this.ring = step.ring;
            this.rolloutId = step.rolloutId;
            this.version = step.version;
            this.credentials = new LinkedHashMap<>(credentials);
        }

        @Override
        protected String stepName() {
            return "promote";
        }

        @Override
        public boolean start() throws Exception {
            identify();
            offload(this::promote);
            return false;
        }

        private void promote() throws Exception {
            StepAuthorization.check(Rollouts.host().owners(), rollout, who, StepAuthorization.Act.PROMOTE);
            RolloutService service = Rollouts.host().service();
            if (ring == null || rolloutId == null) {
                RolloutState now = service.current(rollout, new Target(rolloutId, version));
                synchronized (this) {
                    if (ring == null) ring = now.ringName();
                    if (rolloutId == null) rolloutId = now.id();
                }
                context.saveState();
            }
            EngineResult r = service.promote(rollout, ring, new Target(rolloutId, version), caller(credentials));
            Rollouts.host().changed(rollout);
            Rollouts.host().record(context, rollout, r.state().id());
            log().line((r.kind() == EngineResult.Kind.ALREADY_DONE ? "already done: " : "promoted: ") + r.message());
            succeed(StatusMap.of(r.state()));
        }

        @Override
        public void onResume() {
            if (!isDone()) offload(this::promote); // pinned to one ring of one rollout: promoting again changes nothing
        }

        @Override
        public String getStatus() {
            return "promoting " + (ring == null ? "the current ring" : "ring " + ring) + " of " + rollout;
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
