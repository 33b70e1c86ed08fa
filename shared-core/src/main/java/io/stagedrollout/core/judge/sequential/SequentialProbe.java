package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.GateProbe;
import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.gate.MeasureContext;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures one interval: reads the counters, adds the interval since the last reading to the history kept in the
 * measurements, and re-runs the sequential analysis over the whole history. Every measurement, errors included,
 * carries the history and the last counters forward, so the test survives restarts and failed scrapes.
 */
final class SequentialProbe implements GateProbe {
    private final String gate;
    private final SequentialSettings s;
    private final CounterSource source;
    private final Clock clock;

    SequentialProbe(String gate, SequentialSettings s, CounterSource source, Clock clock) {
        this.gate = gate;
        this.s = s;
        this.source = source;
        this.clock = clock;
    }

    @Override
    public Measurement measure(MeasureContext ctx) throws InterruptedException {
        List<IntervalCounts> history = new ArrayList<>();
        Counters last = null;
        String restartNote = "";
        Measurement previous = ctx.previous().isEmpty() ? null : ctx.previous().get(ctx.previous().size() - 1);
        if (previous != null) {
            Object text = previous.data().get(IntervalHistory.KEY);
            List<IntervalCounts> kept = text instanceof String t ? IntervalHistory.decode(t) : null;
            if (kept != null) {
                history.addAll(kept);
                last = Counters.readFrom(previous.data());
            } else {
                // only a measurement this probe did not write (the engine's record of a crashed probe) loses it
                restartNote = " (the previous measurement kept no counts, so the test restarted)";
            }
        }
        Counters from;
        Counters now;
        try {
            from = last != null ? last : source.reference(ctx);
            now = source.read(ctx);
        } catch (CounterSource.CounterException e) {
            return carry(Outcome.ERROR, null, e.getMessage() + "; the test keeps its " + history.size() + " intervals", history, last);
        }
        Counters.Interval counted;
        try {
            counted = now.since(from);
        } catch (IllegalArgumentException e) {
            // the new counters become the reference; only this interval is lost
            return carry(Outcome.ERROR, null, e.getMessage() + ": this interval is skipped", history, now);
        }
        IntervalCounts interval = counted.counts();
        history.add(interval);
        SequentialAnalysis a = SequentialAnalysis.of(history, s.alpha(), s.minEffect(), s.direction());
        String thisInterval = "; this interval: canary " + interval.canaryErrors() + "/" + interval.canaryRequests()
                + ", baseline " + interval.baselineErrors() + "/" + interval.baselineRequests() + counted.note() + restartNote;
        Outcome outcome;
        String summary;
        if (a.regressionDetected()) {
            outcome = Outcome.FAIL;
            summary = a.explain();
        } else if (a.canaryRequests() < s.minRequests()) {
            outcome = Outcome.INCONCLUSIVE;
            summary = "the canary served " + a.canaryRequests() + " requests since the bake started (minRequests "
                    + s.minRequests() + "): not enough data to judge; " + a.explain();
        } else {
            outcome = Outcome.PASS;
            summary = a.explain();
        }
        boolean settles = outcome == Outcome.PASS && s.earlyPass() && a.regressionRuledOut();
        if (settles) summary += "; earlyPass: the gate has passed and the ring need not bake longer";
        Measurement m = carry(outcome, a.pValue(), summary + thisInterval, history, now);
        Map<String, Object> data = new LinkedHashMap<>(m.data());
        data.put("pValue", a.pValue());
        if (!Double.isNaN(a.estimate())) data.put("ratio", a.estimate());
        if (a.interval() != null) {
            data.put("ratioLow", a.interval().lowOpen() ? 0.0 : a.interval().low());
            data.put("ratioHigh", a.interval().highOpen() ? null : a.interval().high());
        }
        data.put("regressionDetected", a.regressionDetected());
        data.put("regressionRuledOut", a.regressionRuledOut());
        if (s.earlyPass()) data.put(GateRules.SETTLES_GATE, settles);
        data.put("alpha", s.alpha());
        data.put("minEffect", s.minEffect());
        data.put("direction", s.direction().label());
        return new Measurement(gate, m.at(), m.outcome(), m.value(), m.summary(), data);
    }

    private Measurement carry(Outcome outcome, Double value, String summary, List<IntervalCounts> history, Counters counters) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(IntervalHistory.KEY, IntervalHistory.encode(history));
        if (counters != null) counters.writeTo(data);
        return new Measurement(gate, clock.instant(), outcome, value, summary, data);
    }

    static String p(double v) {
        return GateRules.number(v);
    }
}
