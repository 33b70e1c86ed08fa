package io.stagedrollout.core.gate;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a probe knows when it measures: the rollout's values (for templating queries, never for shell strings),
 * when the bake started, and the gate's earlier measurements in this ring, so that a probe that needs history
 * (counter deltas, sequential tests) can rebuild it after the process was restarted.
 *
 * @param variables the ROLLOUT_* values (ROLLOUT_VERSION, ROLLOUT_RING, ROLLOUT_PERCENT, …)
 */
public record MeasureContext(
        Map<String, String> variables,
        Instant bakeStartedAt,
        Instant now,
        List<Measurement> previous) {
    public MeasureContext {
        variables = Map.copyOf(variables);
        previous = List.copyOf(previous);
    }

    public String variable(String name) {
        return variables.getOrDefault(name, "");
    }
}
