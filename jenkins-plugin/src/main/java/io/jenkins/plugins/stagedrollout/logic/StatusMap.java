package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The map {@code rolloutStatus}, {@code promote}, {@code rollback} and {@code canaryStage} return to a pipeline.
 * Plain strings and numbers only, so the pipeline can keep it across a restart.
 */
public final class StatusMap {
    /** The status of a key that never had a rollout. */
    public static final String NONE = "NONE";

    private StatusMap() {}

    public static Map<String, Object> of(RolloutState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rollout", s.key());
        m.put("id", s.id());
        m.put("status", s.status().name());
        m.put("ring", s.ringName());
        m.put("ringIndex", s.ringIndex());
        m.put("ringCount", s.plan().rings().size());
        m.put("version", s.version());
        m.put("stableVersion", s.stableVersion());
        m.put("lastGoodVersion", s.lastGoodVersion());
        m.put("verdict", s.verdict() == null ? null : s.verdict().verdict().name());
        m.put("verdictRing", s.verdict() == null ? null : s.verdict().ring());
        m.put("reason", s.reason());
        m.put("hold", s.hold());
        m.put("revision", s.revision());
        return m;
    }

    public static Map<String, Object> none(String rollout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rollout", rollout);
        m.put("status", NONE);
        return m;
    }
}
