package io.stagedrollout.core.store;

import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import java.util.List;
import java.util.Optional;

/**
 * What a stored state must satisfy before anything acts on it. A state read back from a file or a database row may
 * have been edited by hand or damaged; the machine assumes these invariants, so a state that breaks one is refused
 * with the field named instead of failing later with a null pointer or an index out of range (or, worse, running a
 * deploy for ring -3).
 */
public final class StateCheck {
    private StateCheck() {}

    /** The first broken invariant as "field: problem", or empty when the state is sound for {@code key}. */
    public static Optional<String> problem(RolloutState s, RolloutKey key) {
        if (s == null) return Optional.of("(top level): is empty (null)");
        if (blank(s.id())) return Optional.of("id: is missing");
        if (!key.service().equals(s.service())) return Optional.of("service: is " + quoted(s.service()) + ", not " + key.service());
        if (!key.environment().equals(s.environment())) {
            return Optional.of("environment: is " + quoted(s.environment()) + ", not " + key.environment());
        }
        if (blank(s.version())) return Optional.of("version: is missing");
        if (s.status() == null) return Optional.of("status: is missing");
        if (s.revision() < 1) return Optional.of("revision: is " + s.revision() + "; a stored revision is 1 or more");
        if (s.startedAt() == null) return Optional.of("startedAt: is missing");
        if (s.updatedAt() == null) return Optional.of("updatedAt: is missing");
        RolloutPlan p = s.plan();
        if (p == null) return Optional.of("plan: is missing");
        if (!s.service().equals(p.service()) || !s.environment().equals(p.environment())) {
            return Optional.of("plan.service: the plan is for " + quoted(p.service()) + "/" + quoted(p.environment()) + ", not " + key);
        }
        List<Ring> rings = p.rings();
        if (rings.isEmpty()) return Optional.of("plan.rings: is empty");
        if (s.ringIndex() < -1 || s.ringIndex() >= rings.size()) {
            return Optional.of("ringIndex: is " + s.ringIndex() + ", outside -1.." + (rings.size() - 1) + " (the plan has "
                    + rings.size() + " rings)");
        }
        for (int i = 0; i < rings.size(); i++) {
            Ring r = rings.get(i);
            String at = "plan.rings[" + i + "]";
            if (r == null) return Optional.of(at + ": is empty (null)");
            if (blank(r.name())) return Optional.of(at + ".name: is missing");
            if (r.exposure() == null) return Optional.of(at + ".exposure: is missing");
            double pct = r.exposure().percent();
            if (!(pct >= 0 && pct <= 100)) return Optional.of(at + ".exposure.percent: is " + pct + ", not within 0..100");
            if (r.bake() == null || r.bake().isNegative()) return Optional.of(at + ".bake: is missing or negative");
            if (r.approval() == null) return Optional.of(at + ".approval: is missing");
            if (r.onFailure() == null) return Optional.of(at + ".onFailure: is missing");
            if (r.onInconclusive() == null) return Optional.of(at + ".onInconclusive: is missing");
            if (blank(r.deploy())) return Optional.of(at + ".deploy: is missing");
            for (String g : r.gates()) {
                if (g == null || !p.gates().containsKey(g)) return Optional.of(at + ".gates: names gate " + quoted(g) + ", which the plan does not define");
            }
        }
        for (var g : p.gates().entrySet()) {
            if (g.getValue() == null) return Optional.of("plan.gates." + g.getKey() + ": is empty (null)");
        }
        for (var a : p.actions().entrySet()) {
            if (a.getValue() == null || blank(a.getValue().kind())) return Optional.of("plan.actions." + a.getKey() + ": has no kind");
        }
        for (int i = 0; i < s.gates().size(); i++) {
            GateProgress g = s.gates().get(i);
            if (g == null || blank(g.gate())) return Optional.of("gates[" + i + "]: has no gate name");
            if (g.measurements() < 0 || g.passed() < 0 || g.failed() < 0 || g.inconclusive() < 0 || g.errors() < 0
                    || g.consecutiveErrors() < 0) {
                return Optional.of("gates[" + i + "]: has a negative count");
            }
        }
        if (s.verdict() != null && s.verdict().verdict() == null) return Optional.of("verdict.verdict: is missing");
        return Optional.empty();
    }

    /** A state parsed from stored JSON (a database row), or what is wrong with it ("field revision: …"). */
    public record Read(RolloutState state, String problem) {}

    public static Read read(String json, RolloutKey key) {
        if (json == null) return new Read(null, "it is empty (null)");
        RolloutState s;
        try {
            var tree = StateJson.MAPPER.readTree(json);
            if (!(tree instanceof com.fasterxml.jackson.databind.node.ObjectNode o)) return new Read(null, "it is not a JSON object");
            s = StateFile.state(o, key, RolloutStore.StoreException::new);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return new Read(null, JsonProblems.describe(e));
        } catch (RolloutStore.StoreException e) {
            return new Read(null, e.getMessage());
        }
        return new Read(s, null);
    }

    /** An event parsed from stored JSON, or what is wrong with it. */
    public record ReadEvent(RolloutEvent event, String problem) {}

    public static ReadEvent readEvent(String json) {
        if (json == null) return new ReadEvent(null, "it is empty (null)");
        RolloutEvent e;
        try {
            e = StateJson.MAPPER.readValue(json, RolloutEvent.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            return new ReadEvent(null, JsonProblems.describe(ex));
        } catch (RuntimeException ex) {
            return new ReadEvent(null, "it does not hold an event");
        }
        if (e == null) return new ReadEvent(null, "it is empty (null)");
        if (blank(e.type())) return new ReadEvent(null, "field type: is missing");
        if (e.at() == null) return new ReadEvent(null, "field at: is missing");
        if (e.revision() < 0) return new ReadEvent(null, "field revision: is " + e.revision());
        return new ReadEvent(e, null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String quoted(String s) {
        return s == null ? "null" : "'" + JsonProblems.value(s) + "'";
    }
}
