package io.stagedrollout.core.plan;

import java.util.List;
import java.util.Map;

/**
 * {@code planning} holds the optional traffic figures for the bake-time check (null when the plan gives none).
 * A validated plan with its rings expanded (strategy shorthands already turned into rings). Immutable; a copy is
 * kept in the rollout's state so that later CI jobs can act on the rollout without the plan file.
 */
public record RolloutPlan(
        String service,
        String environment,
        Strategy strategy,
        List<Ring> rings,
        Map<String, GateSpec> gates,
        Map<String, ActionSpec> actions,
        io.stagedrollout.core.planning.PlanningInputs planning,
        List<io.stagedrollout.core.policy.Window> windows,
        List<io.stagedrollout.core.policy.Freeze> freezes,
        Map<String, io.stagedrollout.core.notify.NotifyTarget> notifications) {
    public static final String DEFAULT_DEPLOY = "deploy";
    public static final String DEFAULT_REVERT = "revert";

    public RolloutPlan {
        rings = List.copyOf(rings);
        gates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(gates));
        actions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(actions));
        windows = windows == null ? List.of() : List.copyOf(windows);
        freezes = freezes == null ? List.of() : List.copyOf(freezes);
        notifications = notifications == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notifications));
    }

    /** A plan without deployment windows, freezes or notifications. */
    public RolloutPlan(String service, String environment, Strategy strategy, List<Ring> rings, Map<String, GateSpec> gates,
            Map<String, ActionSpec> actions, io.stagedrollout.core.planning.PlanningInputs planning) {
        this(service, environment, strategy, rings, gates, actions, planning, null, null, null);
    }

    /** A plan without planning inputs (they only feed the bake-time and blast-radius check of `rollout plan`). */
    public RolloutPlan(String service, String environment, Strategy strategy, List<Ring> rings, Map<String, GateSpec> gates,
            Map<String, ActionSpec> actions) {
        this(service, environment, strategy, rings, gates, actions, null);
    }

    /**
     * When ring {@code ringIndex} may be deployed: the ring's own windows (else the plan's), the plan's freezes and
     * {@code extraFreezes} (freezes announced by the CI host, such as GitLab's {@code CI_DEPLOY_FREEZE}).
     */
    public io.stagedrollout.core.policy.DeployCalendar calendar(int ringIndex, List<io.stagedrollout.core.policy.Freeze> extraFreezes) {
        List<io.stagedrollout.core.policy.Window> w = ring(ringIndex).windows().isEmpty() ? windows : ring(ringIndex).windows();
        List<io.stagedrollout.core.policy.Freeze> f = new java.util.ArrayList<>(freezes);
        if (extraFreezes != null) f.addAll(extraFreezes);
        return new io.stagedrollout.core.policy.DeployCalendar(w, f);
    }

    public String key() {
        return service + "/" + environment;
    }

    public Ring ring(int index) {
        return rings.get(index);
    }

    public int ringIndex(String name) {
        for (int i = 0; i < rings.size(); i++) {
            if (rings.get(i).name().equals(name)) return i;
        }
        return -1;
    }
}
