package io.jenkins.plugins.stagedrollout.glue;

import hudson.model.TaskListener;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.RolloutEvent;
import java.io.PrintStream;

/** The engine's events and action output, as lines in the build log. */
public final class BuildLog implements EngineListener {
    public static final String PREFIX = "[staged-rollout] ";

    private final TaskListener listener;

    public BuildLog(TaskListener listener) {
        this.listener = listener;
    }

    public void line(String text) {
        logger().println(PREFIX + text);
    }

    @Override
    public void event(RolloutEvent e) {
        line(e.type() + (e.ring() == null ? "" : " [" + e.ring() + "]") + (e.reason() == null ? "" : ": " + e.reason()));
    }

    @Override
    public void output(String text) {
        line(text);
    }

    private PrintStream logger() {
        return listener.getLogger();
    }
}
