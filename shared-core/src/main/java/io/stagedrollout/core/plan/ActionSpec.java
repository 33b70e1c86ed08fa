package io.stagedrollout.core.plan;

import java.util.Map;

/** A named action (deploy a ring, revert) as the plan declares it; {@code settings} are the kind's own fields. */
public record ActionSpec(String name, String kind, Map<String, Object> settings) {
    public ActionSpec {
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }
}
