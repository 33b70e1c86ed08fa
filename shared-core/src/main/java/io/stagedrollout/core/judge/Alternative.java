package io.stagedrollout.core.judge;

/** Which shift of the canary against the baseline a test looks for. */
public enum Alternative {
    /** The canary's values are larger or smaller. */
    TWO_SIDED,
    /** The canary's values are larger. */
    GREATER,
    /** The canary's values are smaller. */
    LESS
}
