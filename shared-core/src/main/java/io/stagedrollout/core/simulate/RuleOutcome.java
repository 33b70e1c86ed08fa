package io.stagedrollout.core.simulate;

/**
 * How one rule did over many simulated bakes of one scenario.
 *
 * @param rollbackRate            fraction of bakes rolled back: the false-rollback rate on A/A runs, the detection
 *                                probability when the canary regressed
 * @param medianMinutesToDetect   median time from the start of the bake to the rollback, over rolled-back bakes
 *                                (NaN when none was)
 * @param meanCanaryRequests      requests the canary served before the rollback, or in the whole bake when it was
 *                                not rolled back, averaged: the users exposed to the version under this rule
 */
public record RuleOutcome(String rule, int runs, int rollbacks, double rollbackRate, double medianMinutesToDetect,
                          double meanCanaryRequests) {}
