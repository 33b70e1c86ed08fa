package io.stagedrollout.core.gate;

/**
 * Takes one measurement of one gate. A probe never throws for a backend problem: an unreachable backend, a
 * timeout, a malformed answer all become a measurement with outcome {@link Outcome#ERROR}.
 */
public interface GateProbe extends AutoCloseable {
    Measurement measure(MeasureContext context) throws InterruptedException;

    @Override
    default void close() {}
}
