package io.stagedrollout.core.plan;

import java.time.Duration;
import java.util.Map;

/**
 * A named gate as the plan declares it. The measurement schedule and limits are common to every kind
 * (DESIGN.md "Gates and decisions"); {@code settings} holds the kind's own fields, already validated by its
 * {@link io.stagedrollout.core.gate.GateKind}.
 *
 * @param count          measure exactly this many times (null: every interval while the ring bakes)
 * @param dryRun         measured and reported, never counted in the ring's verdict
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
        Map<String, Object> settings) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

    public GateSpec {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
}
