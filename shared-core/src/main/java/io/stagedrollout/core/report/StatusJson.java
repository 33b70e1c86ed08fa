package io.stagedrollout.core.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.GateVerdict;
import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.RingVerdict;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.store.StateJson;
import java.util.List;

/**
 * The machine-readable view of a rollout: the {@code rollout} object of the CLI's {@code --output json} contract
 * (README "JSON output"), read by the GitHub wrapper, the GitLab adapter and scripts. Fields are only ever added.
 */
public final class StatusJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StatusJson() {}

    public static ObjectNode rollout(RolloutState s) {
        return rollout(s, java.time.Instant.now(), List.of());
    }

    /**
     * The rollout as of {@code now}; {@code waitingFor} names the window or freeze the next ring waits for (and when
     * it opens), counting {@code hostFreezes} announced by the CI host.
     */
    public static ObjectNode rollout(RolloutState s, java.time.Instant now, List<io.stagedrollout.core.policy.Freeze> hostFreezes) {
        ObjectNode o = F.objectNode();
        o.put("key", s.key());
        o.put("id", s.id());
        o.put("service", s.service());
        o.put("environment", s.environment());
        o.put("version", s.version());
        o.put("stableVersion", s.stableVersion());
        o.put("lastGoodVersion", s.lastGoodVersion());
        o.put("status", s.status().name());
        o.put("ring", s.ringName());
        o.put("ringIndex", s.ringIndex());
        o.put("ringCount", s.plan().rings().size());
        o.put("exposurePercent", s.ring() == null ? 0.0 : s.ring().exposure().percent());
        o.put("revision", s.revision());
        o.put("startedAt", str(s.startedAt()));
        o.put("updatedAt", str(s.updatedAt()));
        o.put("bakeStartedAt", str(s.bakeStartedAt()));
        o.put("bakeEndsAt", str(s.bakeEndsAt()));
        o.put("hold", s.hold());
        o.put("reason", s.reason());
        var closed = io.stagedrollout.core.machine.RolloutMachine.waitingFor(s, now, hostFreezes);
        if (closed.isPresent()) {
            ObjectNode w = o.putObject("waitingFor");
            w.put("kind", closed.get().kind());
            w.put("window", closed.get().window());
            w.put("freeze", closed.get().freeze());
            w.put("ring", s.plan().ring(s.ringIndex() + 1).name());
            w.put("opensAt", str(closed.get().opensAt()));
            w.put("message", closed.get().describe());
        } else {
            o.putNull("waitingFor");
        }
        if (s.verdict() != null) o.set("verdict", verdict(s.verdict()));
        else o.putNull("verdict");
        ArrayNode gates = o.putArray("gates");
        for (GateProgress p : s.gates()) {
            ObjectNode g = progress(p);
            var spec = s.plan().gates().get(p.gate());
            g.put("dryRun", spec != null && spec.dryRun());
            gates.add(g);
        }
        ArrayNode rings = o.putArray("rings");
        for (int i = 0; i < s.plan().rings().size(); i++) {
            Ring r = s.plan().ring(i);
            ObjectNode ro = rings.addObject();
            ro.put("name", r.name());
            ro.put("exposurePercent", r.exposure().percent());
            if (r.exposure().byTargets()) {
                ArrayNode t = ro.putArray("targets");
                r.exposure().targets().forEach(t::add);
            }
            ro.put("bake", Durations.format(r.bake()));
            ro.put("approval", r.approval().name().toLowerCase());
            ArrayNode g = ro.putArray("gates");
            r.gates().forEach(g::add);
            ro.put("state", ringState(s, i));
        }
        // the id-bound commands that apply now, safe to paste later (a command for an ended rollout is refused)
        ObjectNode commands = o.putObject("commands");
        CommandHints.forState(s).forEach(commands::put);
        return o;
    }

    /** {@code done}, {@code current}, {@code pending}, or {@code reverted} for rings a rollback took back. */
    public static String ringState(RolloutState s, int i) {
        if (s.status() == Status.COMPLETED) return "done";
        boolean reverted = s.status() == Status.ROLLED_BACK || s.status() == Status.ROLLING_BACK;
        if (i < s.ringIndex()) return reverted ? "reverted" : "done";
        if (i == s.ringIndex()) {
            if (reverted) return "reverted";
            return s.status() == Status.PROMOTING ? "done" : "current";
        }
        return "pending";
    }

    public static ObjectNode verdict(RingVerdict v) {
        ObjectNode o = F.objectNode();
        o.put("ring", v.ring());
        o.put("verdict", v.verdict().name());
        o.put("reason", v.reason());
        ArrayNode gates = o.putArray("gates");
        for (GateVerdict g : v.gates()) {
            ObjectNode go = progress(g.progress());
            go.put("verdict", g.verdict().name());
            go.put("dryRun", g.dryRun());
            go.put("reason", g.reason());
            if (g.dryRun()) go.put("note", "dry run: measured and reported, not counted in the ring's verdict");
            gates.add(go);
        }
        return o;
    }

    public static ObjectNode progress(GateProgress p) {
        ObjectNode o = F.objectNode();
        o.put("gate", p.gate());
        o.put("measurements", p.measurements());
        o.put("passed", p.passed());
        o.put("failed", p.failed());
        o.put("inconclusive", p.inconclusive());
        o.put("errors", p.errors());
        if (p.last() != null) o.set("last", measurement(p.last()));
        return o;
    }

    public static ObjectNode measurement(Measurement m) {
        ObjectNode o = F.objectNode();
        o.put("outcome", m.outcome().name());
        if (m.value() != null) o.put("value", m.value());
        else o.putNull("value");
        o.put("summary", m.summary());
        o.put("at", m.at().toString());
        return o;
    }

    public static ArrayNode events(List<RolloutEvent> events) {
        ArrayNode a = F.arrayNode();
        for (RolloutEvent e : events) a.add(StateJson.MAPPER.valueToTree(e));
        return a;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
