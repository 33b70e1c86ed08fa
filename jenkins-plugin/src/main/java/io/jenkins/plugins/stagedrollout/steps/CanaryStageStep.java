package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.glue.StepContexts;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.logic.StageRun;
import io.jenkins.plugins.stagedrollout.logic.StepAuthorization;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.IOException;
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
 * {@code canaryStage(rollout: 'checkout/production', ring: 'canary', version: env.GIT_COMMIT, planText: ...) { sh './deploy.sh' }}
 *
 * <p>Starts the rollout (or attaches to the same version's), runs the body as the ring's deploy with the
 * {@code ROLLOUT_*} variables, then bakes on a durable timer like {@code sleep}: no executor and no thread is held
 * between measurements. A ring that needs a person waits for Promote or Rollback; a ring outside its deployment window
 * waits for the opening on the same timer. Every store access, gate and plan action runs on the plugin's workers,
 * never on the CPS thread. Aborting the build during the deploy leaves the ring DEPLOYING: the next stage for it
 * deploys it again, or a person rolls back.
 */
public final class CanaryStageStep extends Step {
    private final String rollout;
    private final String ring;
    private String version;
    private String plan;
    private String planText;
    private String overrideWindowReason;
    private List<CredentialBinding> credentials = List.of();
    private boolean usePlanAction;

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

    /** Required on the stage that starts the rollout. */
    @DataBoundSetter
    public void setVersion(String version) {
        this.version = blankToNull(version);
    }

    public String getPlan() {
        return plan;
    }

    /** A file in the workspace (the step then needs a {@code node}). */
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

    /** Deploys even outside the ring's window or in a freeze; the reason is journaled. */
    @DataBoundSetter
    public void setOverrideWindowReason(String overrideWindowReason) {
        this.overrideWindowReason = blankToNull(overrideWindowReason);
    }

    public List<CredentialBinding> getCredentials() {
        return credentials;
    }

    /** Secret text credentials the plan reads by name. */
    @DataBoundSetter
    public void setCredentials(List<CredentialBinding> credentials) {
        this.credentials = credentials == null ? List.of() : List.copyOf(credentials);
    }

    public boolean isUsePlanAction() {
        return usePlanAction;
    }

    /** The plan's {@code deploy} action deploys, instead of the body (give an empty one: {@code {}}). */
    @DataBoundSetter
    public void setUsePlanAction(boolean usePlanAction) {
        this.usePlanAction = usePlanAction;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        try {
            return new Execution(this, CredentialBinding.check("canaryStage", credentials), context);
        } catch (StageException e) {
            throw new AbortException(e.getMessage());
        }
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /**
     * One ring's deploy and bake: carries out the moves of its {@link StageRun} (serialized with the pipeline) and
     * lends it the body, the durable timer and the build.
     */
    public static final class Execution extends RolloutExecution implements StageRun.Port, BodyEnd.Listener {
        private static final long serialVersionUID = 2L;

        private final StageRun run;
        private final String planFile;
        /** The plan given as text, kept until the stage has entered its rollout (a restart may come before). */
        private String planText;
        private final LinkedHashMap<String, String> credentials;
        /** Made when the step starts or resumes: its wake-ups do nothing under another controller. */
        private transient volatile ControllerTimer timer;

        Execution(CanaryStageStep step, Map<String, String> credentials, StepContext context) {
            super(context, step.rollout);
            this.planFile = step.plan;
            this.planText = step.planText;
            this.credentials = new LinkedHashMap<>(credentials);
            this.run = new StageRun(step.rollout, step.ring, step.version, step.plan != null || step.planText != null,
                    step.overrideWindowReason, context.hasBody() && !step.usePlanAction);
        }

        @Override
        protected String stepName() {
            return "canaryStage";
        }

        @Override
        public boolean start() throws Exception {
            if (planFile != null && planText != null) {
                throw new AbortException("canaryStage: give plan: (a file) or planText: (its content), not both");
            }
            timer = new ControllerTimer(this::poke);
            identify();
            offload(() -> run.enter(this));
            return false;
        }

        /** The timer fired, or the rollout changed: one look at a time for this stage, on a worker. */
        void poke() {
            if (!run.beginLook()) return;
            offload(() -> {
                try {
                    run.look(this);
                } finally {
                    if (run.endLook()) poke();
                }
            });
        }

        /** Another build, a page or a promote/rollback on this controller changed {@code key}: look now. */
        public void rolloutChanged(String key) {
            if (!rollout.equals(key) || !run.sleeping()) return;
            cancelTimer();
            poke();
        }

        @Override
        public void bodyEnded(Throwable failure) {
            if (run.bodyEnded(this, failure, bodyInterrupted(failure))) offload(() -> run.recordDeploy(this));
        }

        @Override
        public void onResume() {
            timer = new ControllerTimer(this::poke);
            switch (run.resume(this)) {
                case ENTER -> offload(() -> run.enter(this));
                case RECORD -> offload(() -> run.recordDeploy(this));
                default -> { }
            }
        }

        @Override
        protected void ended() {
            run.ended(Rollouts.host().deploys());
            cancelTimer();
        }

        @Override
        public String getStatus() {
            return run.status();
        }

        StageRun.Phase phase() {
            return run.phase();
        }

        // ---- StageRun.Port ---------------------------------------------------------------------------------------

        @Override
        public void authorize(boolean starts) throws StageException {
            StepAuthorization.check(Rollouts.host().owners(), rollout, who,
                    starts ? StepAuthorization.Act.START : StepAuthorization.Act.DEPLOY);
        }

        @Override
        public RolloutPlan plan(RolloutService service) throws IOException, InterruptedException {
            return StepContexts.readPlan(context, planFile, planText, service);
        }

        @Override
        public Caller caller() throws StageException, IOException, InterruptedException {
            return caller(credentials);
        }

        @Override
        public void record(String rolloutId) throws IOException, InterruptedException {
            planText = null; // entered: the rollout holds the plan now
            Rollouts.host().record(context, rollout, rolloutId);
        }

        @Override
        public void runBody(Map<String, String> variables) throws IOException, InterruptedException {
            startBody(variables, this); // not when stopped meanwhile: the ring stays DEPLOYING for the next stage
        }

        @Override
        public void arm(long delayMillis) {
            timer.arm(delayMillis);
        }

        private void cancelTimer() {
            ControllerTimer t = timer;
            if (t != null) t.cancel();
        }

        @Override
        public void printLinks() {
            StepContexts.printPageLink(context, "Promote or Roll back");
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
