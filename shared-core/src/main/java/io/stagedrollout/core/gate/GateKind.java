package io.stagedrollout.core.gate;

import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.SpecReader;

/**
 * One kind of gate ({@code http}, {@code metrics}, {@code prometheus}, {@code judge}, …). A kind validates its own
 * fields when the plan is read and opens a probe for each ring's bake. New kinds plug in through
 * {@link GateKinds} without changes to the state machine.
 */
public interface GateKind {
    String kind();

    /** Reads every field of this kind from {@code fields}, reporting problems to it. Must not touch the world. */
    void validate(SpecReader fields);

    /** Opens a probe for one ring's bake. {@code spec.settings()} has passed {@link #validate}. */
    GateProbe open(GateSpec spec, GateEnvironment env);
}
