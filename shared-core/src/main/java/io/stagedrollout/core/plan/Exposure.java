package io.stagedrollout.core.plan;

import java.util.List;

/**
 * How much of production a ring reaches. {@code percent} is always set: for target rings it is the share of all
 * the plan's targets reached once this ring is deployed. {@code targets} lists the targets this ring deploys to
 * (empty for percentage rings). Percent is a double because users ask for weights below 1%.
 */
public record Exposure(double percent, List<String> targets) {
    public Exposure {
        targets = List.copyOf(targets);
    }

    public static Exposure percent(double percent) {
        return new Exposure(percent, List.of());
    }

    public boolean byTargets() {
        return !targets.isEmpty();
    }

    /** {@code 5%}, {@code 0.5%}, {@code 100%}. */
    public String describe() {
        String p = percent == Math.rint(percent) ? String.valueOf((long) percent) : String.valueOf(percent);
        return byTargets() ? p + "% (" + String.join(", ", targets) + ")" : p + "%";
    }
}
