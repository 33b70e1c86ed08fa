package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutMachine;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.policy.Closure;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The map {@code rolloutStatus}, {@code promote}, {@code rollback} and {@code canaryStage} return to a pipeline.
 * Plain strings and numbers only, so the pipeline can keep it across a restart.
 */
public final class StatusMap {
    /** The status of a key that never had a rollout. */
    public static final String NONE = "NONE";

    private StatusMap() {}

    public static Map<String, Object> of(RolloutState s) {
        return of(s, Instant.now());
    }

    /**
     * The map as of {@code now}: {@code waitingFor} is null, or, while the next ring is outside its deployment window
     * or in a freeze, {@code [kind: window|freeze, window, freeze, ring, opensAt, message]} ({@code opensAt} null
     * when the end is not known).
     */
    public static Map<String, Object> of(RolloutState s, Instant now) {
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
        m.put("waitingFor", waitingFor(s, now));
        return m;
    }

    static Map<String, Object> waitingFor(RolloutState s, Instant now) {
        Optional<Closure> closed = RolloutMachine.waitingFor(s, now, List.of());
        if (closed.isEmpty()) return null;
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("kind", closed.get().kind());
        w.put("window", closed.get().window());
        w.put("freeze", closed.get().freeze());
        w.put("ring", s.plan().ring(s.ringIndex() + 1).name());
        w.put("opensAt", closed.get().opensAt() == null ? null : closed.get().opensAt().toString());
        w.put("message", closed.get().describe());
        return w;
    }

    public static Map<String, Object> none(String rollout) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rollout", rollout);
        m.put("status", NONE);
        return m;
    }
}
