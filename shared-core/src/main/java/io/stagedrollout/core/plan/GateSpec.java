package io.stagedrollout.core.plan;

import java.time.Duration;
import java.util.Map;

/**
 * A named gate as the plan declares it. The measurement schedule and limits are common to every kind
 * (DESIGN.md "Gates and decisions"); {@code settings} holds the kind's own fields, already validated by its
 * {@link io.stagedrollout.core.gate.GateKind}.
 *
 * @param count          take exactly this many real measurements (errors do not count; null: every interval while
 *                       the ring bakes)
 * @param dryRun         measured and reported, never counted in the ring's verdict
 * @param onError        what exceeding {@code consecutiveErrorLimit} (or a gate left with nothing but errors) makes
 *                       the gate: HOLD = INCONCLUSIVE (the default), REVERT = FAIL, as Argo's Error phase aborts
 */
public record GateSpec(
        String name,
        String kind,
        Duration interval,
        Integer count,
        Duration initialDelay,
        int failureLimit,
        int inconclusiveLimit,
        int consecutiveErrorLimit,
        boolean dryRun,
        Map<String, Object> settings,
        OnVerdict onError) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

    public GateSpec {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
        onError = onError == null ? OnVerdict.HOLD : onError;
    }

    /** A gate that holds when its backend keeps failing (onError: hold). */
    public GateSpec(String name, String kind, Duration interval, Integer count, Duration initialDelay, int failureLimit,
            int inconclusiveLimit, int consecutiveErrorLimit, boolean dryRun, Map<String, Object> settings) {
        this(name, kind, interval, count, initialDelay, failureLimit, inconclusiveLimit, consecutiveErrorLimit, dryRun,
                settings, OnVerdict.HOLD);
    }
}
