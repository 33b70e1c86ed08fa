package io.stagedrollout.core.simulate;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.List;

/**
 * Argo Rollouts' style of analysis: each interval the canary's error ratio is compared with a fixed {@code max};
 * a measurement above it fails, and the rollout is aborted when failed measurements exceed {@code failureLimit}.
 * An interval in which the canary served no request is no measurement (Argo would report it inconclusive or
 * an error, never a failure).
 */
public record ThresholdRule(double max, int failureLimit) implements DetectionRule {
    @Override
    public String name() {
        return "threshold";
    }

    @Override
    public String settings() {
        return "error ratio > max " + GateRules.number(max) + " per interval, failureLimit " + failureLimit;
    }

    @Override
    public int rollbackAfter(List<IntervalCounts> intervals) {
        int failed = 0;
        for (int i = 0; i < intervals.size(); i++) {
            IntervalCounts c = intervals.get(i);
            if (c.canaryRequests() == 0) continue;
            if ((double) c.canaryErrors() / c.canaryRequests() > max && ++failed > failureLimit) return i + 1;
        }
        return 0;
    }
}
