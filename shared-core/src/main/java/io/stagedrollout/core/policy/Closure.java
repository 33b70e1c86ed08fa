package io.stagedrollout.core.policy;

import java.time.Instant;

/**
 * Why the next ring may not be deployed now: outside every deployment window ({@code window} names them), or in a
 * freeze ({@code freeze} gives its reason). {@code opensAt} is the next instant a ring may be deployed, null when it
 * cannot be known (a freeze without an end, or no window opens within two weeks).
 */
public record Closure(String window, String freeze, Instant opensAt) {
    public String kind() {
        return freeze != null ? "freeze" : "window";
    }

    public String describe() {
        String what = freeze != null ? "in a deploy freeze: " + freeze : "outside the deployment window " + window;
        return what + (opensAt == null ? "; the next opening is not known" : "; next opening " + opensAt);
    }
}
