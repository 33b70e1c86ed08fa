package io.jenkins.plugins.stagedrollout.glue;

import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.config.RolloutOwnership;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.logic.BuildCaller;
import io.jenkins.plugins.stagedrollout.logic.KeyedWorkers;
import io.jenkins.plugins.stagedrollout.logic.LiveDeploys;
import io.jenkins.plugins.stagedrollout.logic.OwnerRegistry;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import io.jenkins.plugins.stagedrollout.web.RolloutRunAction;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.springframework.security.core.Authentication;

/**
 * Where the steps and pages find what Jenkins provides: the rollout service of the global configuration, the timer
 * that wakes baking stages, the workers that do their blocking work, the build's identity, the values bound for its
 * plan, and the ownership of rollout keys. One seam, so unit tests run the steps against fakes without a Jenkins.
 */
public final class Rollouts {
    /** What Jenkins provides to the steps and pages. */
    public interface Host {
        /** The rollout service; may open the store (I/O): call it from a worker, never from the CPS thread. */
        RolloutService service() throws StageException;

        /** Wakes baking stages at their moment: Jenkins' shared timer, which only hands the wake-up to a worker. */
        ScheduledExecutorService timer();

        /** Runs the steps' blocking work off the CPS thread, one task at a time per rollout key. */
        KeyedWorkers workers();

        /** The ring deploys running on this controller. */
        LiveDeploys deploys();

        /** Wakes every {@code canaryStage} on this controller that waits on {@code rollout}. */
        void changed(String rollout);

        /** The wall clock the timers are set by. */
        default Instant now() {
            return Instant.now();
        }

        /**
         * The running controller. A timer a step armed under an earlier one (a restart inside one JVM, as the test
         * harness does it) must not act: the step was read again and re-armed under the new controller.
         */
        default Object controller() {
            return this;
        }

        /** The build the step runs in and what its authentication may do: no I/O, called on the CPS thread. */
        BuildCaller caller(StepContext context) throws IOException, InterruptedException;

        /**
         * What the plan may read for this build: the global metrics URL and token and the step's
         * {@code credentials} (variable → Secret text credential id), each resolved for the build's job.
         *
         * @throws StageException INVALID when a credential the step names is not visible to the build
         */
        Map<String, String> bindings(StepContext context, Map<String, String> credentials, Consumer<String> warn)
                throws StageException, IOException, InterruptedException;

        /** The ownership rules of rollout keys. */
        OwnerRegistry owners();

        /** Shows the rollout on the build's page and remembers its id for the build (I/O: saves the build). */
        void record(StepContext context, String rollout, String rolloutId) throws IOException, InterruptedException;

        /** The ids of the rollouts of {@code rollout} this build took part in, oldest first. */
        List<String> recordedIds(StepContext context, String rollout) throws IOException, InterruptedException;
    }

    private static volatile Host host = new JenkinsHost();

    private Rollouts() {}

    public static Host host() {
        return host;
    }

    /** Replaces the host (unit tests); returns the previous one to put back. */
    public static Host use(Host replacement) {
        Host previous = host;
        host = replacement;
        return previous;
    }

    static final class JenkinsHost implements Host {
        @Override
        public RolloutService service() throws StageException {
            return RolloutConfiguration.get().service();
        }

        @Override
        public ScheduledExecutorService timer() {
            return Timer.get();
        }

        @Override
        public KeyedWorkers workers() {
            return StepWorkers.get().workers();
        }

        @Override
        public LiveDeploys deploys() {
            return StepWorkers.get().deploys();
        }

        @Override
        public void changed(String rollout) {
            StepExecution.acceptAll(CanaryStageStep.Execution.class, e -> e.rolloutChanged(rollout));
        }

        @Override
        public Object controller() {
            return Jenkins.getInstanceOrNull();
        }

        @Override
        public BuildCaller caller(StepContext context) throws IOException, InterruptedException {
            Run<?, ?> run = run(context);
            Job<?, ?> job = run.getParent();
            // the build's authentication, as the CPS thread carries it (SYSTEM unless an authorization plugin sets one)
            Authentication auth = Jenkins.getAuthentication2();
            return new BuildCaller(job.getFullName(), auth.getName(), job.hasPermission2(auth, RolloutPermissions.PROMOTE),
                    job.hasPermission2(auth, RolloutPermissions.ROLLBACK));
        }

        @Override
        public Map<String, String> bindings(StepContext context, Map<String, String> credentials, Consumer<String> warn)
                throws StageException, IOException, InterruptedException {
            return RolloutConfiguration.get().bindings(run(context), credentials, warn);
        }

        @Override
        public OwnerRegistry owners() {
            return RolloutOwnership.get();
        }

        @Override
        public void record(StepContext context, String rollout, String rolloutId) throws IOException, InterruptedException {
            RolloutRunAction.record(run(context), rollout, rolloutId);
        }

        @Override
        public List<String> recordedIds(StepContext context, String rollout) throws IOException, InterruptedException {
            RolloutRunAction a = run(context).getAction(RolloutRunAction.class);
            return a == null ? List.of() : a.idsOf(rollout);
        }

        private static Run<?, ?> run(StepContext context) throws IOException, InterruptedException {
            Run<?, ?> run = context.get(Run.class);
            if (run == null) throw new IOException("the step has no build");
            return run;
        }
    }
}
