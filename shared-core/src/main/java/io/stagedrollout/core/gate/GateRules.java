package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.OnVerdict;
import java.util.List;
import java.util.Locale;

/**
 * The gate semantics, in one place. They follow Argo Rollouts' analysis (failureLimit, inconclusiveLimit,
 * consecutiveErrorLimit, errors not counting toward count) with a fail-safe rule on top: a gate PASSES only on real
 * passing measurements, so missing or broken data never counts as a pass. shared-core/JUDGE.md lists where these
 * rules differ from Argo Rollouts on purpose.
 */
public final class GateRules {
    /**
     * Measurement data key: a PASS measurement carrying {@code true} here settles its gate at once (an anytime-valid
     * test that has ruled the regression out, with {@code earlyPass: true}); see {@link #settled}.
     */
    public static final String SETTLES_GATE = "settlesGate";

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
            boolean revert = spec.onError() == OnVerdict.REVERT;
            return new GateVerdict(name, revert ? Verdict.FAIL : Verdict.INCONCLUSIVE, spec.dryRun(), name
                    + " could not be measured " + p.consecutiveErrors() + " times in a row, consecutiveErrorLimit "
                    + spec.consecutiveErrorLimit() + (revert ? " (onError: revert)" : " (onError: hold)") + last(p), p);
        }
        if (settled(p)) {
            return new GateVerdict(name, Verdict.PASS, spec.dryRun(), name + " passed early after " + p.measurements()
                    + " measurements (earlyPass: the regression is ruled out)" + tolerated(p, spec) + last(p), p);
        }
        if (!finished) {
            return null;
        }
        int real = BakeSchedule.realMeasurements(p);
        if (spec.count() != null && real < spec.count()) {
            return new GateVerdict(name, Verdict.INCONCLUSIVE, spec.dryRun(), name + " has " + real + " of its count "
                    + spec.count() + " real measurements (" + p.errors() + " errors do not count): missing data never"
                    + " counts as a pass" + last(p), p);
        }
        if (p.passed() == 0) {
            // fail-safe: no data, or only errors and inconclusive results within their limits, is not a pass
            boolean onlyErrors = p.errors() > 0 && real == 0;
            boolean revert = onlyErrors && spec.onError() == OnVerdict.REVERT;
            return new GateVerdict(name, revert ? Verdict.FAIL : Verdict.INCONCLUSIVE, spec.dryRun(), name
                    + " has no passing measurement (" + p.measurements() + " taken, " + p.errors() + " errors, "
                    + p.inconclusive() + " inconclusive): missing data never counts as a pass"
                    + (revert ? " (onError: revert)" : "") + last(p), p);
        }
        return new GateVerdict(name, Verdict.PASS, spec.dryRun(), name + " passed " + p.passed() + " of "
                + p.measurements() + " measurements" + tolerated(p, spec) + last(p), p);
    }

    /** Whether the gate's latest measurement is a pass that settles it before its schedule ends (earlyPass). */
    public static boolean settled(GateProgress p) {
        Measurement m = p.last();
        return m != null && m.outcome() == Outcome.PASS && Boolean.TRUE.equals(m.data().get(SETTLES_GATE));
    }

    /**
     * Whether a ring may end its bake now because of an early pass: every counted gate has a verdict, all PASS, and
     * at least one of them passed early. {@code verdicts} are the ring's gate verdicts so far, in the order of
     * {@code specs}, null for a gate still undecided. (A gate that exceeds a limit ends the ring at once anyway.)
     */
    public static boolean passedEarly(List<GateSpec> specs, List<GateVerdict> verdicts) {
        boolean early = false;
        for (int i = 0; i < specs.size(); i++) {
            if (specs.get(i).dryRun()) continue;
            GateVerdict v = verdicts.get(i);
            if (v == null || v.verdict() != Verdict.PASS) return false;
            if (settled(v.progress())) early = true;
        }
        return early;
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
