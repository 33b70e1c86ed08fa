package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.GateSpec;
import java.util.Locale;

/**
 * The gate semantics, in one place. They follow Argo Rollouts' analysis (failureLimit, inconclusiveLimit,
 * consecutiveErrorLimit) with a fail-safe rule on top: a gate PASSES only on real passing measurements, so missing
 * or broken data never counts as a pass.
 */
public final class GateRules {
    private GateRules() {}

    /**
     * The gate's verdict so far, or null while it is still undecided and more measurements are due.
     *
     * @param finished no more measurements will be taken (the bake is over or the count is reached)
     */
    public static GateVerdict evaluate(GateSpec spec, GateProgress p, boolean finished) {
        String name = spec.name();
        if (p.failed() > spec.failureLimit()) {
            return new GateVerdict(name, Verdict.FAIL, spec.dryRun(), name + " failed " + p.failed() + " of "
                    + p.measurements() + " measurements, failureLimit " + spec.failureLimit() + last(p), p);
        }
        if (p.inconclusive() > spec.inconclusiveLimit()) {
            return new GateVerdict(name, Verdict.INCONCLUSIVE, spec.dryRun(), name + " was inconclusive in "
                    + p.inconclusive() + " of " + p.measurements() + " measurements, inconclusiveLimit "
                    + spec.inconclusiveLimit() + last(p), p);
        }
        if (p.consecutiveErrors() > spec.consecutiveErrorLimit()) {
            return new GateVerdict(name, Verdict.INCONCLUSIVE, spec.dryRun(), name + " could not be measured "
                    + p.consecutiveErrors() + " times in a row, consecutiveErrorLimit "
                    + spec.consecutiveErrorLimit() + last(p), p);
        }
        if (!finished) {
            return null;
        }
        if (p.passed() == 0) {
            // fail-safe: no data, or only errors and inconclusive results within their limits, is not a pass
            return new GateVerdict(name, Verdict.INCONCLUSIVE, spec.dryRun(), name + " has no passing measurement ("
                    + p.measurements() + " taken, " + p.errors() + " errors, " + p.inconclusive()
                    + " inconclusive): missing data never counts as a pass" + last(p), p);
        }
        return new GateVerdict(name, Verdict.PASS, spec.dryRun(), name + " passed " + p.passed() + " of "
                + p.measurements() + " measurements" + tolerated(p, spec) + last(p), p);
    }

    private static String tolerated(GateProgress p, GateSpec spec) {
        StringBuilder sb = new StringBuilder();
        if (p.failed() > 0) sb.append(", ").append(p.failed()).append(" failed within failureLimit ").append(spec.failureLimit());
        if (p.inconclusive() > 0) sb.append(", ").append(p.inconclusive()).append(" inconclusive within inconclusiveLimit ").append(spec.inconclusiveLimit());
        if (p.errors() > 0) sb.append(", ").append(p.errors()).append(" errors");
        return sb.toString();
    }

    private static String last(GateProgress p) {
        return p.last() == null ? "" : " (last: " + p.last().summary() + ")";
    }

    /** Formats a measured number for explanations: 0.034, 12.5, 1.2e-05. */
    public static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.valueOf((long) v);
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e6) {
            return String.format(Locale.ROOT, "%.4f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }
}
