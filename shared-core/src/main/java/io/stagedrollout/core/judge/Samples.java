package io.stagedrollout.core.judge;

/** One metric's values for the canary and for the baseline, as read from a source; {@code detail} says from where. */
public record Samples(double[] canary, double[] baseline, String detail) {}
