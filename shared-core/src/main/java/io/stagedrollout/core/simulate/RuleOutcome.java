package io.stagedrollout.core.simulate;

/**
 * How one rule did over many simulated bakes of one scenario.
 *
 * @param rollbackRate            fraction of bakes rolled back: the false-rollback rate on A/A runs, the detection
 *                                probability when the canary regressed
 * @param medianMinutesToDetect   median time from the start of the bake to the rollback, over rolled-back bakes
 *                                (NaN when none was)
 * @param meanCanaryRequests      requests the canary served before the bake ended (rollback, early pass or its end),
 *                                averaged: the users exposed to the version under this rule
 * @param earlyPassRate           fraction of bakes passed early (0 for rules without early pass): on A/A runs the
 *                                saving, on regressed runs the cost (a regression let through)
 * @param medianMinutesToEarlyPass median time to the early pass, over bakes passed early (NaN when none was)
 * @param meanCanaryMinutes       mean minutes the canary ring lasted: to the rollback, the early pass or the bake's end
 */
public record RuleOutcome(String rule, int runs, int rollbacks, double rollbackRate, double medianMinutesToDetect,
                          double meanCanaryRequests, double earlyPassRate, double medianMinutesToEarlyPass,
                          double meanCanaryMinutes) {}
