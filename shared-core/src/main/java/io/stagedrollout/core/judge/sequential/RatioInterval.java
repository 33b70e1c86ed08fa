package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateRules;

/**
 * An interval for the canary/baseline rate ratio. An open end means the data do not bound the ratio on that side
 * within the range the gate resolves (0.018 to 54.6).
 */
public record RatioInterval(double low, double high, boolean lowOpen, boolean highOpen) {
    public boolean contains(double ratio) {
        return (lowOpen || ratio >= low) && (highOpen || ratio <= high);
    }

    @Override
    public String toString() {
        return "[" + (lowOpen ? "0" : GateRules.number(round(low))) + ", "
                + (highOpen ? "∞" : GateRules.number(round(high))) + "]";
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
