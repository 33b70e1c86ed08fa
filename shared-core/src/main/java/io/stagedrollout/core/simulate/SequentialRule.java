package io.stagedrollout.core.simulate;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.judge.sequential.Direction;
import io.stagedrollout.core.judge.sequential.IntervalCounts;
import io.stagedrollout.core.judge.sequential.SequentialRateTest;
import java.util.List;

/** The {@code sequential} gate's decision: roll back the first interval the always-valid p-value reaches alpha. */
public record SequentialRule(double alpha, double minEffect) implements DetectionRule {
    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public String settings() {
        return "mixture SPRT on the canary's share of errors, alpha " + GateRules.number(alpha) + ", minEffect "
                + GateRules.number(minEffect) + "x, checked every interval";
    }

    @Override
    public int rollbackAfter(List<IntervalCounts> intervals) {
        SequentialRateTest test = new SequentialRateTest(alpha, minEffect, Direction.INCREASE);
        for (int i = 0; i < intervals.size(); i++) {
            test.add(intervals.get(i));
            if (test.regressionDetected()) return i + 1;
        }
        return 0;
    }
}
