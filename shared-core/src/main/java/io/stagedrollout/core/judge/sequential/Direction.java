package io.stagedrollout.core.judge.sequential;

/** Which change of the canary's rate, relative to the baseline's, is a regression. */
public enum Direction {
    /** The canary's rate going up is bad (errors, timeouts). */
    INCREASE,
    /** The canary's rate going down is bad (successful checkouts, logins). */
    DECREASE,
    /** Any change is bad. */
    EITHER;

    public static Direction parse(String text) {
        return valueOf(text.toUpperCase(java.util.Locale.ROOT));
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
