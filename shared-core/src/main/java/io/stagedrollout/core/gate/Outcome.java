package io.stagedrollout.core.gate;

/** The result of one measurement (DESIGN.md "Gates and decisions"). */
public enum Outcome {
    /** Within the pass threshold. */
    PASS,
    /** Beyond the fail threshold. */
    FAIL,
    /** Between the pass and fail thresholds, or no data to judge. */
    INCONCLUSIVE,
    /** The backend could not be asked or answered nonsense: unreachable, timeout, malformed, NaN. */
    ERROR
}
