package io.stagedrollout.core.judge;

import io.stagedrollout.core.gate.MeasureContext;

/** Where one metric's canary and baseline samples come from. */
public interface SampleSource {
    /**
     * Reads the samples now. {@code earlier} is what this source returned at the ring's previous measurement when
     * it {@link #accumulates()} (rebuilt from the journal after a restart), else null.
     */
    Samples fetch(MeasureContext context, Samples earlier) throws SourceException, InterruptedException;

    /** Short description for explanations ("prometheus http://127.0.0.1:9090"). Never contains secrets. */
    String describe();

    /** Whether each measurement adds to the series of the earlier ones (a scrape per measurement). */
    default boolean accumulates() {
        return false;
    }
}
