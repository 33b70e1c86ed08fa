package io.stagedrollout.core.simulate;

import io.stagedrollout.core.judge.sequential.IntervalCounts;
import java.util.List;

/** A decision rule that watches a canary interval by interval and may roll it back. */
public interface DetectionRule {
    /** Short name for tables: "threshold", "mann-whitney", "sequential". */
    String name();

    /** The rule's settings in words, for the benchmark's notes. */
    String settings();

    /** The 1-based interval after which the rule rolls back, or 0 when it lets the bake finish. */
    int rollbackAfter(List<IntervalCounts> intervals);

    /**
     * How the bake ends under this rule: rolled back or passed early after an interval, or neither (after = 0: the
     * bake runs to its end). Rules that never pass early need not override it.
     */
    default Stop decide(List<IntervalCounts> intervals) {
        int r = rollbackAfter(intervals);
        return new Stop(r, r > 0);
    }

    /** @param after the 1-based interval after which the bake ended early (0: it ran to its end) */
    record Stop(int after, boolean rollback) {
        public boolean passedEarly() {
            return after > 0 && !rollback;
        }
    }
}
