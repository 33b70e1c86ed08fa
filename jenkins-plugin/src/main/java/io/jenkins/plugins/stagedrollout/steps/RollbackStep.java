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
import io.stagedrollout.core.machine.RolloutVariables;
import io.stagedrollout.core.machine.Status;
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
 * {@code rollback(rollout: 'checkout/production', reason: 'pipeline failed', thisBuildOnly: true) { sh './deploy.sh --revert' }}:
 * records the rollback (failing a {@code canaryStage} that waits on the rollout), runs the body as the revert with
 * {@code ROLLOUT_VERSION} set to the stable version, and marks the rollout ROLLED_BACK (FAILED when the body fails).
 * With {@code usePlanAction} the plan's {@code revert} action reverts instead of the body. {@code thisBuildOnly}, {@code rolloutId} and {@code version}
 * bind it to one rollout: a build that failed before starting its own never reverts an earlier, good release.
 */
public final class RollbackStep extends Step {
    private final String rollout;
    private final String reason;
    private String rolloutId;
    private String version;
    private boolean thisBuildOnly;
    private List<CredentialBinding> credentials = List.of();
    private boolean usePlanAction;

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

    public String getRolloutId() {
        return rolloutId;
    }

    /** Rolls back only rollout {@code rolloutId} (e.g. {@code status.id}); a newer rollout of the key is refused. */
    @DataBoundSetter
    public void setRolloutId(String rolloutId) {
        this.rolloutId = CanaryStageStep.blankToNull(rolloutId);
    }

    public String getVersion() {
        return version;
    }

    /** Rolls back only a rollout of {@code version}. */
    @DataBoundSetter
    public void setVersion(String version) {
        this.version = CanaryStageStep.blankToNull(version);
    }

    public boolean isThisBuildOnly() {
        return thisBuildOnly;
    }

    /**
     * Rolls back only the rollout this build started or deployed; when the build took part in none (it failed
     * before its first {@code canaryStage}), does nothing and says so.
     */
    @DataBoundSetter
    public void setThisBuildOnly(boolean thisBuildOnly) {
        this.thisBuildOnly = thisBuildOnly;
    }

    public List<CredentialBinding> getCredentials() {
        return credentials;
    }

    /** Secret text credentials the plan's revert action and notifications read by name. */
    @DataBoundSetter
    public void setCredentials(List<CredentialBinding> credentials) {
        this.credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }

    public boolean isUsePlanAction() {
        return usePlanAction;
    }

    /**
     * The plan's {@code revert} action reverts, on the controller, instead of the body; give an empty body
     * ({@code rollback(..., usePlanAction: true) {}}): a Pipeline block step always takes one.
     */
    @DataBoundSetter
    public void setUsePlanAction(boolean usePlanAction) {
        this.usePlanAction = usePlanAction;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        if (thisBuildOnly && rolloutId != null) {
            throw new AbortException("rollback: give rolloutId: or thisBuildOnly: true, not both");
        }
        try {
            return new Execution(this, CredentialBinding.check("rollback", credentials), context);
        } catch (StageException e) {
            throw new AbortException(e.getMessage());
        }
    }

    static final class Execution extends RolloutExecution implements BodyEnd.Listener {
        private static final long serialVersionUID = 2L;

        enum Phase {
            STARTING,
            /** The body reverts. */
            REVERTING,
            /** The body ended; its outcome is being recorded. */
            RECORDING
        }

        private final String reason;
        private final String rolloutId;
        private final String version;
        private final boolean thisBuildOnly;
        private final LinkedHashMap<String, String> credentials;
        private final boolean hasBody;
        private volatile Phase phase = Phase.STARTING;
        /** The rollout being reverted. */
        private String targetId;
        private Throwable revertFailure;

        Execution(RollbackStep step, Map<String, String> credentials, StepContext context) {
            super(context, step.rollout);
            this.reason = step.reason;
            this.rolloutId = step.rolloutId;
            this.version = step.version;
            this.thisBuildOnly = step.thisBuildOnly;
            this.credentials = new LinkedHashMap<>(credentials);
            this.hasBody = context.hasBody() && !step.usePlanAction;
        }

        @Override
        protected String stepName() {
            return "rollback";
        }

        @Override
        public boolean start() throws Exception {
            identify();
            offload(this::rollBack);
            return false;
        }

        /** Checks who asks and which rollout is meant, then records the rollback; only then is the build marked. */
        private void rollBack() throws Exception {
            StepAuthorization.check(Rollouts.host().owners(), rollout, who, StepAuthorization.Act.ROLLBACK);
            RolloutService service = Rollouts.host().service();
            Target target = new Target(rolloutId, version);
            if (thisBuildOnly) {
                List<String> ids = Rollouts.host().recordedIds(context, rollout);
                if (ids.isEmpty()) {
                    log().line("nothing to roll back: this build took part in no rollout of " + rollout
                            + "; the key's current rollout is left alone");
                    succeed(service.read(rollout).map(StatusMap::of).orElseGet(() -> StatusMap.none(rollout)));
                    return;
                }
                target = new Target(ids.get(ids.size() - 1), version);
            }
            EngineResult r = service.rollback(rollout, reason, target, !hasBody, caller(credentials));
            Rollouts.host().changed(rollout);
            RolloutState s = r.state();
            Rollouts.host().record(context, rollout, s.id());
            if (!hasBody) {
                if (r.kind() == EngineResult.Kind.NOT_YET) {
                    // another driver holds the key and did not revert in time: the rollback stands, the revert is its
                    fail(new AbortException("rollback: " + r.message()));
                    return;
                }
                concluded(s, r.message());
                return;
            }
            if (s.status() != Status.ROLLING_BACK) {
                log().line("nothing to revert: " + r.message());
                succeed(StatusMap.of(s));
                return;
            }
            log().line("reverting " + s.version() + " to " + (s.stableVersion() == null ? "the stable version" : s.stableVersion()));
            synchronized (this) {
                phase = Phase.REVERTING;
                targetId = s.id();
            }
            if (startBody(RolloutVariables.forRevert(s), this)) context.saveState();
        }

        /** A rollback by the plan's action ends as the rollout does: rolled back, or failed when nothing (or a failed revert) reverted it. */
        private void concluded(RolloutState s, String message) {
            switch (s.status()) {
                case ROLLING_BACK -> fail(new AbortException("rollback: rollout " + s.id() + " of " + rollout + " is"
                        + " ROLLING_BACK and nothing reverted it: the plan has no revert action (or the Staged Rollout"
                        + " configuration does not allow it); run rollback without usePlanAction, its body reverting, to finish it"));
                case FAILED -> fail(new AbortException("rollback: the revert failed (" + s.reason() + "); the rollout is"
                        + " FAILED and the production state is unknown: a person must resolve it"));
                default -> {
                    log().line(message);
                    succeed(StatusMap.of(s));
                }
            }
        }

        /** The revert (the body) ended: on the CPS thread, so only bookkeeping here. */
        @Override
        public void bodyEnded(Throwable failure) {
            boolean interrupted = bodyInterrupted(failure);
            synchronized (this) {
                if (isDone()) return;
                if (!interrupted) {
                    phase = Phase.RECORDING;
                    revertFailure = failure;
                }
            }
            if (interrupted) {
                log().line("the revert was interrupted; rollout " + targetId + " stays ROLLING_BACK: run rollback again");
                fail(failure);
                return;
            }
            context.saveState();
            offload(this::recordRevert);
        }

        private void recordRevert() throws Exception {
            Throwable failure;
            synchronized (this) {
                failure = revertFailure;
            }
            EngineResult r = Rollouts.host().service().revertFinished(rollout, targetId, failure == null,
                    failure == null ? "the rollback body succeeded" : "the rollback body failed: " + failure, caller(credentials));
            Rollouts.host().changed(rollout);
            log().line(r.message());
            if (failure == null) {
                succeed(StatusMap.of(r.state()));
            } else {
                fail(failure);
            }
        }

        @Override
        public void onResume() {
            if (isDone()) return;
            switch (phase) {
                case STARTING -> offload(this::rollBack); // the rollback is idempotent; by the plan's action it finishes the revert
                case RECORDING -> offload(this::recordRevert);
                default -> { } // the body resumes by itself
            }
        }


        @Override
        public String getStatus() {
            return switch (phase) {
                case STARTING -> "rolling back " + rollout;
                case REVERTING -> "reverting " + rollout;
                case RECORDING -> "recording the revert of " + rollout;
            };
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
