package io.stagedrollout.core.gate;

/** A gate's or a ring's verdict, ordered from best to worst so that the ring's verdict is the worst of its gates. */
public enum Verdict {
    PASS, INCONCLUSIVE, FAIL;

    public Verdict worst(Verdict other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
