package io.jenkins.plugins.stagedrollout.it;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.TaskListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code hold('deploy-1')}: waits until the test calls {@link #release} (workflow-support's SemaphoreStep is not in
 * the test Jenkins). It survives a restart: a held step is held again after one. Prints "holding NAME".
 */
public final class HoldStep extends Step {
    /** Held steps by name, with the Jenkins they run in: after a restart only the resumed step counts. */
    private record Held(Execution execution, Object jenkins) {}

    private static final Map<String, Held> HELD = new ConcurrentHashMap<>();
    private final String name;

    @DataBoundConstructor
    public HoldStep(String name) {
        this.name = name;
    }

    public String getName() {
        return name;
    }

    /** Ends the held step {@code name} successfully; false when nothing holds under that name (yet). */
    public static boolean release(String name) {
        if (!holding(name)) return false;
        HELD.remove(name).execution().getContext().onSuccess(null);
        return true;
    }

    /** Whether a step of the running Jenkins holds under {@code name}. */
    public static boolean holding(String name) {
        Held h = HELD.get(name);
        return h != null && h.jenkins() == Jenkins.getInstanceOrNull();
    }

    private static void hold(String name, Execution e) {
        HELD.put(name, new Held(e, Jenkins.getInstanceOrNull()));
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(name, context);
    }

    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;
        private final String name;

        Execution(String name, StepContext context) {
            super(context);
            this.name = name;
        }

        @Override
        public boolean start() throws Exception {
            hold(name, this);
            getContext().get(TaskListener.class).getLogger().println("holding " + name);
            return false;
        }

        @Override
        public void onResume() {
            hold(name, this);
        }

        @Override
        public void stop(@NonNull Throwable cause) {
            HELD.remove(name);
            getContext().onFailure(cause);
        }
    }

    @Extension
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "hold";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(TaskListener.class);
        }
    }
}
