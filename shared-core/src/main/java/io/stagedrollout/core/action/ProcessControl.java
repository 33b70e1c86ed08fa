package io.stagedrollout.core.action;

import java.time.Duration;
import java.util.UUID;

/**
 * How a program an action or gate runs is marked and stopped. {@code tag} goes into the environment of the program
 * and of everything it starts ({@code ROLLOUT_EFFECT}), so the whole tree can be found and ended — when it finishes,
 * when it times out, when the driver is told to stop, or by the next driver after a crash; {@code stopGrace} is how
 * long a SIGTERM is given before SIGKILL.
 */
public record ProcessControl(String tag, Duration stopGrace) {
    public static final String TAG_VARIABLE = "ROLLOUT_EFFECT";
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    public ProcessControl {
        if (tag == null || tag.isBlank() || tag.indexOf('\0') >= 0) throw new IllegalArgumentException("a process tag is required");
        if (stopGrace == null || stopGrace.isNegative()) stopGrace = DEFAULT_GRACE;
    }

    /** A fresh tag under {@code prefix} (what runs, for which rollout), with the default grace. */
    public static ProcessControl tagged(String prefix) {
        return new ProcessControl(prefix + ":" + UUID.randomUUID(), DEFAULT_GRACE);
    }
}
