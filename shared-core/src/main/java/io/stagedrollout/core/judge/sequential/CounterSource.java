package io.stagedrollout.core.judge.sequential;

import io.stagedrollout.core.gate.MeasureContext;

/** Where the four cumulative counters come from: OpenMetrics endpoints or Prometheus. */
interface CounterSource {
    /** The counters now. */
    Counters read(MeasureContext ctx) throws CounterException, InterruptedException;

    /**
     * The counters to measure the first interval from, when no earlier measurement kept any: OpenMetrics scrapes
     * now and waits a short window; Prometheus asks for the values at the start of the bake.
     */
    Counters reference(MeasureContext ctx) throws CounterException, InterruptedException;

    /** A counter could not be read; the message says what and where, never a secret. */
    final class CounterException extends Exception {
        CounterException(String message) {
            super(message);
        }
    }
}
