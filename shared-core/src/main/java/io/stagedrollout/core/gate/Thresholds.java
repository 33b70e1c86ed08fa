package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.SpecReader;
import java.util.Optional;

/**
 * Fixed thresholds for a measured value: FAIL above {@code max} or below {@code min}; INCONCLUSIVE inside the
 * {@code marginal} band just on the passing side of a limit (the band between the pass and fail thresholds).
 * Shared by the metrics and prometheus gates.
 */
public record Thresholds(Double min, Double max, double marginal) {

    /** Reads {@code min}, {@code max}, {@code marginal}; at least one of min and max is required. */
    public static Thresholds read(SpecReader r) {
        Optional<Double> min = r.number("min");
        Optional<Double> max = r.number("max");
        double marginal = r.number("marginal").orElse(0.0);
        if (min.isEmpty() && max.isEmpty() && !r.has("min") && !r.has("max")) {
            r.problem("max", "is required (or min): a gate needs a threshold to judge against");
        }
        if (marginal < 0) r.problem("marginal", "must not be negative");
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            r.problem("min", "is greater than max (" + min.get() + " > " + max.get() + ")");
        }
        return new Thresholds(min.orElse(null), max.orElse(null), marginal);
    }

    public Outcome judge(double value) {
        if (!Double.isFinite(value)) return Outcome.ERROR;
        if (max != null && value > max) return Outcome.FAIL;
        if (min != null && value < min) return Outcome.FAIL;
        if (max != null && value > max - marginal) return Outcome.INCONCLUSIVE;
        if (min != null && value < min + marginal) return Outcome.INCONCLUSIVE;
        return Outcome.PASS;
    }

    /** "0.034 > max 0.01", "0.004 <= max 0.01", "0.0095 within marginal 0.001 of max 0.01". */
    public String explain(double value) {
        String v = GateRules.number(value);
        if (max != null && value > max) return v + " > max " + GateRules.number(max);
        if (min != null && value < min) return v + " < min " + GateRules.number(min);
        if (max != null && value > max - marginal) return v + " within marginal " + GateRules.number(marginal) + " of max " + GateRules.number(max);
        if (min != null && value < min + marginal) return v + " within marginal " + GateRules.number(marginal) + " of min " + GateRules.number(min);
        StringBuilder sb = new StringBuilder(v);
        if (max != null) sb.append(" <= max ").append(GateRules.number(max));
        if (min != null) sb.append(max != null ? ", " : " ").append(">= min ").append(GateRules.number(min));
        return sb.toString();
    }
}
