package io.stagedrollout.core.action;

import io.stagedrollout.core.plan.ActionSpec;
import io.stagedrollout.core.plan.SpecReader;

/** One kind of action ({@code command}, {@code webhook}, {@code kubernetes}). Registered in {@link ActionKinds}. */
public interface ActionKind {
    String kind();

    /** Reads every field of this kind from {@code fields}, reporting problems to it. Must not touch the world. */
    void validate(SpecReader fields);

    Action open(ActionSpec spec, ActionEnvironment env);
}
