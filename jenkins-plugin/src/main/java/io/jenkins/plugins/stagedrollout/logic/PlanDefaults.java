package io.jenkins.plugins.stagedrollout.logic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.plan.Strategy;
import java.io.IOException;
import java.time.Duration;

/**
 * The controller's default bake: rings whose plan gives no {@code bake} bake this long (the core's default is 0s).
 * A plan that says {@code bake: 0s} keeps it. The plan is first validated as written, so every problem is reported
 * with the lines the user wrote; only a valid plan gets the default.
 */
public final class PlanDefaults {
    private static final YAMLMapper YAML = new YAMLMapper();

    private PlanDefaults() {}

    /** Reads {@code text} and applies {@code defaultBake} (null: none) to the rings that do not set a bake. */
    public static RolloutPlan read(String text, Duration defaultBake) throws InvalidPlanException {
        RolloutPlan plan = PlanReader.parse(text);
        if (defaultBake == null || defaultBake.isZero()) return plan;
        JsonNode tree;
        try {
            tree = YAML.readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IOException e) {
            return plan; // PlanReader accepted it; nothing to add
        }
        if (!(tree instanceof ObjectNode top)) return plan;
        String bake = Durations.format(defaultBake);
        boolean changed = false;
        if (plan.strategy() == Strategy.RINGS) {
            for (JsonNode ring : top.path("rings")) {
                if (ring instanceof ObjectNode r && !r.has("bake")) {
                    r.put("bake", bake);
                    changed = true;
                }
            }
        } else if (!top.has("bake")) {
            top.put("bake", bake);
            changed = true;
        }
        if (!changed) return plan;
        try {
            return PlanReader.parse(YAML.writeValueAsString(top));
        } catch (IOException e) {
            throw new IllegalStateException("re-reading a valid plan with its default bake failed", e);
        }
    }

    /** The problem with a default bake setting, or null. */
    public static String problem(String value) {
        String v = ConfigChecks.trimToNull(value);
        if (v == null) return null;
        return Durations.parse(v).isPresent() ? null : "not a duration: write it like 30s, 10m or 1h30m";
    }
}
