package io.stagedrollout.core.judge;

/** Which change of a metric is a regression: {@code increase} (latency, errors), {@code decrease} (throughput), or either. */
public enum Direction {
    INCREASE, DECREASE, EITHER;

    Alternative alternative() {
        return switch (this) {
            case INCREASE -> Alternative.GREATER;
            case DECREASE -> Alternative.LESS;
            case EITHER -> Alternative.TWO_SIDED;
        };
    }

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
