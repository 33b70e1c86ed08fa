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
}
