package io.jenkins.plugins.stagedrollout.glue;

import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.jenkins.plugins.stagedrollout.steps.CanaryStageStep;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import jenkins.model.Jenkins;
import jenkins.util.Timer;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * Where the steps and pages find what Jenkins provides: the rollout service of the global configuration, the
 * shared timer, and a way to wake the stages waiting on a rollout. One seam, so unit tests run the steps against
 * fakes without a Jenkins.
 */
public final class Rollouts {
    /** What Jenkins provides to the steps and pages. */
    public interface Host {
        RolloutService service() throws StageException;

        /** Where bake timers run: Jenkins' shared {@code jenkins.util.Timer}. */
        ScheduledExecutorService timer();

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
        public void changed(String rollout) {
            StepExecution.acceptAll(CanaryStageStep.Execution.class, e -> e.rolloutChanged(rollout));
        }

        @Override
        public Object controller() {
            return Jenkins.getInstanceOrNull();
        }
    }
}
