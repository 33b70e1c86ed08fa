package io.stagedrollout.core.gate;

import java.time.Instant;
import java.util.Map;

/**
 * One measurement of one gate, explained: {@code summary} says in words and numbers what was seen
 * ("error ratio 0.034 (34 of 1000 requests) > max 0.01"), {@code value} is the number compared (null when there is
 * none), {@code data} keeps raw figures a later measurement or report may need (counter values, p-values).
 */
public record Measurement(String gate, Instant at, Outcome outcome, Double value, String summary, Map<String, Object> data) {
    public Measurement {
        data = data == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(data));
        if (value != null && !Double.isFinite(value)) {
            // NaN or infinity is broken data, never something to compare against a threshold
            outcome = Outcome.ERROR;
            summary = summary + " (value is not a finite number)";
            value = null;
        }
    }

    public static Measurement of(String gate, Instant at, Outcome outcome, Double value, String summary) {
        return new Measurement(gate, at, outcome, value, summary, Map.of());
    }

    public static Measurement error(String gate, Instant at, String summary) {
        return new Measurement(gate, at, Outcome.ERROR, null, summary, Map.of());
    }
}
