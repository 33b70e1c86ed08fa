package io.jenkins.plugins.stagedrollout.steps;

import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A step's wake-up on Jenkins' timer, for the controller it was made under. Jenkins' timer is one per JVM: a wake-up
 * armed before a restart inside one JVM (as the test harness restarts) does nothing; the step was read again and
 * re-armed with a timer of the new controller. Not serialized: a resumed step makes a new one.
 */
final class ControllerTimer {
    private final Object controller = Rollouts.host().controller();
    private final Runnable action;
    private volatile ScheduledFuture<?> next;

    ControllerTimer(Runnable action) {
        this.action = action;
    }

    /** Runs the action in {@code delayMillis}, instead of any earlier wake-up. */
    void arm(long delayMillis) {
        cancel();
        next = Rollouts.host().timer().schedule(this::fire, delayMillis, TimeUnit.MILLISECONDS);
    }

    void cancel() {
        ScheduledFuture<?> t = next;
        if (t != null) t.cancel(false);
    }

    private void fire() {
        if (controller == Rollouts.host().controller()) action.run();
    }
}
