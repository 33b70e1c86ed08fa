package io.jenkins.plugins.stagedrollout.glue;

import hudson.model.TaskListener;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.text.Printable;
import java.io.PrintStream;

/** The engine's events and action output, as lines in the build log: nothing printed carries raw control characters. */
public final class BuildLog implements EngineListener {
    public static final String PREFIX = "[staged-rollout] ";

    private final TaskListener listener;

    public BuildLog(TaskListener listener) {
        this.listener = listener;
    }

    /** A line this plugin composed: values inside it were escaped; newlines it put there are kept. */
    public void line(String text) {
        logger().println(PREFIX + Printable.lines(text));
    }

    @Override
    public void event(RolloutEvent e) {
        line(e.type() + (e.ring() == null ? "" : " [" + Printable.escape(e.ring()) + "]")
                + (e.reason() == null ? "" : ": " + Printable.escape(e.reason())));
    }

    @Override
    public void output(String text) {
        line(text);
    }

    private PrintStream logger() {
        return listener.getLogger();
    }
}
