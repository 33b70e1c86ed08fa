package io.stagedrollout.core.gate;

/**
 * The running tally of one gate during one ring's bake. Kept in the rollout's state so a bake that is interrupted
 * resumes with the measurements it already has.
 */
public record GateProgress(
        String gate,
        int measurements,
        int passed,
        int failed,
        int inconclusive,
        int errors,
        int consecutiveErrors,
        Measurement last) {

    public static GateProgress start(String gate) {
        return new GateProgress(gate, 0, 0, 0, 0, 0, 0, null);
    }

    public GateProgress with(Measurement m) {
        return new GateProgress(gate, measurements + 1,
                passed + (m.outcome() == Outcome.PASS ? 1 : 0),
                failed + (m.outcome() == Outcome.FAIL ? 1 : 0),
                inconclusive + (m.outcome() == Outcome.INCONCLUSIVE ? 1 : 0),
                errors + (m.outcome() == Outcome.ERROR ? 1 : 0),
                m.outcome() == Outcome.ERROR ? consecutiveErrors + 1 : 0,
                m);
    }
}
