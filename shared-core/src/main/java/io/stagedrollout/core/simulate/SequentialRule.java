package io.stagedrollout.core.simulate;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.judge.sequential.Direction;
import io.stagedrollout.core.judge.sequential.IntervalCounts;
import io.stagedrollout.core.judge.sequential.SequentialAnalysis;
import io.stagedrollout.core.judge.sequential.SequentialRateTest;
import java.util.List;

/**
 * The {@code sequential} gate's decision: roll back the first interval the always-valid p-value reaches alpha; with
 * {@code earlyPass}, also pass (end the bake) the first interval the always-valid bounds rule out a {@code minEffect}
 * regression.
 */
public record SequentialRule(double alpha, double minEffect, boolean earlyPass) implements DetectionRule {
    public SequentialRule(double alpha, double minEffect) {
        this(alpha, minEffect, false);
    }

    @Override
    public String name() {
        return earlyPass ? "sequential+earlyPass" : "sequential";
    }

    @Override
    public String settings() {
        return "mixture SPRT on the canary's share of errors, alpha " + GateRules.number(alpha) + ", minEffect "
                + GateRules.number(minEffect) + "x, checked every interval"
                + (earlyPass ? "; passes early once the always-valid upper bound is below minEffect" : "");
    }

    @Override
    public int rollbackAfter(List<IntervalCounts> intervals) {
        Stop stop = decide(intervals);
        return stop.rollback() ? stop.after() : 0;
    }

    @Override
    public Stop decide(List<IntervalCounts> intervals) {
        if (!earlyPass) {
            // the test alone: the bounds cost more and are not needed to roll back
            SequentialRateTest test = new SequentialRateTest(alpha, minEffect, Direction.INCREASE);
            for (int i = 0; i < intervals.size(); i++) {
                test.add(intervals.get(i));
                if (test.regressionDetected()) return new Stop(i + 1, true);
            }
            return new Stop(0, false);
        }
        SequentialAnalysis.Running running = new SequentialAnalysis.Running(alpha, minEffect, Direction.INCREASE);
        for (int i = 0; i < intervals.size(); i++) {
            running.add(intervals.get(i));
            if (running.regressionDetected()) return new Stop(i + 1, true);
            if (running.regressionRuledOut()) return new Stop(i + 1, false);
        }
        return new Stop(0, false);
    }
}
