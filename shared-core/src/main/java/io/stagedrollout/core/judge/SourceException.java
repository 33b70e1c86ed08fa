package io.stagedrollout.core.judge;

/** A metric source could not be read or answered nonsense; the metric is classified ERROR, never PASS. */
public final class SourceException extends Exception {
    public SourceException(String message) {
        super(message);
    }
}
