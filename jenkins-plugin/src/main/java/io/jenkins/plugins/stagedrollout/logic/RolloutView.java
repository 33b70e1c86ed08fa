package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.gate.GateVerdict;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.text.Printable;
import java.util.ArrayList;
import java.util.List;

/** A rollout as the build page and the rollouts page show it: ring progress, gate tallies, the verdict. */
public record RolloutView(RolloutState state, List<RingRow> rings, List<GateRow> gates, List<GateRow> verdictGates,
        String waitingFor) {

    /** One ring: {@code progress} is {@code done}, {@code current} or {@code pending}. Getters for Jelly. */
    public record RingRow(String name, String exposure, String bake, String approval, String gates, String progress) {
        public String getName() {
            return name;
        }

        public String getExposure() {
            return exposure;
        }

        public String getBake() {
            return bake;
        }

        public String getApproval() {
            return approval;
        }

        public String getGates() {
            return gates;
        }

        public String getProgress() {
            return progress;
        }
    }

    /** One gate's tally, and its verdict once the ring concluded. Getters for Jelly. */
    public record GateRow(String gate, int measurements, int passed, int failed, int inconclusive, int errors,
            String verdict, String summary) {
        public String getGate() {
            return gate;
        }

        public String getTally() {
            return passed + " passed, " + failed + " failed, " + inconclusive + " inconclusive, " + errors
                    + " errors of " + measurements;
        }

        public String getVerdict() {
            return Printable.escape(verdict);
        }

        public String getSummary() {
            return Printable.escape(summary);
        }
    }

    public static RolloutView of(RolloutState s) {
        return of(s, java.time.Instant.now());
    }

    /** The rollout as of {@code now} (whether the next ring waits for its deployment window). */
    public static RolloutView of(RolloutState s, java.time.Instant now) {
        List<RingRow> rings = new ArrayList<>();
        List<Ring> plan = s.plan().rings();
        for (int i = 0; i < plan.size(); i++) {
            Ring r = plan.get(i);
            String progress = i < s.ringIndex() || s.status() == Status.COMPLETED ? "done"
                    : i == s.ringIndex() ? "current" : "pending";
            rings.add(new RingRow(r.name(), r.exposure().describe(), r.bake().toString().substring(2).toLowerCase(),
                    r.approval().name().toLowerCase(), String.join(", ", r.gates()), progress));
        }
        List<GateRow> gates = new ArrayList<>();
        for (GateProgress p : s.gates()) gates.add(row(p, null, p.last() == null ? "" : p.last().summary()));
        List<GateRow> verdict = new ArrayList<>();
        if (s.verdict() != null) {
            for (GateVerdict g : s.verdict().gates()) {
                verdict.add(row(g.progress(), g.verdict().name() + (g.dryRun() ? " (dry run)" : ""), g.reason()));
            }
        }
        String waiting = io.stagedrollout.core.machine.RolloutMachine.waitingFor(s, now, List.of())
                .map(c -> "ring " + s.plan().ring(s.ringIndex() + 1).name() + " waits: " + c.describe()).orElse(null);
        return new RolloutView(s, rings, gates, verdict, waiting);
    }

    private static GateRow row(GateProgress p, String verdict, String summary) {
        return new GateRow(p.gate(), p.measurements(), p.passed(), p.failed(), p.inconclusive(), p.errors(), verdict, summary);
    }

    /** Whether a person may act now: Promote while it waits, Rollback while it is active or just completed. */
    public boolean isPromotable() {
        return state.status() == Status.AWAITING_APPROVAL;
    }

    public boolean isRollbackable() {
        return state.status().isActive() && state.status() != Status.ROLLING_BACK
                || state.status() == Status.COMPLETED && state.stableVersion() != null;
    }

    public String getId() {
        return state.id();
    }

    public String getKey() {
        return state.key();
    }

    public String getStatus() {
        return state.status().name();
    }

    public String getVersion() {
        return Printable.escape(state.version());
    }

    public String getLastGoodVersion() {
        return Printable.escape(state.lastGoodVersion());
    }

    public String getStableVersion() {
        return Printable.escape(state.stableVersion());
    }

    public String getRing() {
        return Printable.escape(state.ringName());
    }

    public String getHold() {
        return Printable.escape(state.hold());
    }

    public String getReason() {
        return Printable.escape(state.reason());
    }

    public String getVerdict() {
        return state.verdict() == null ? null : Printable.escape(state.verdict().ring() + ": " + state.verdict().verdict() + " — " + state.verdict().reason());
    }

    /** Why the next ring is not deployed yet (its deployment window, a freeze) and when it may be; or null. */
    public String getWaitingFor() {
        return Printable.escape(waitingFor);
    }

    public String getBakeEndsAt() {
        return Stamps.of(state.bakeEndsAt());
    }

    public List<RingRow> getRings() {
        return rings;
    }

    public List<GateRow> getGates() {
        return gates;
    }

    public List<GateRow> getVerdictGates() {
        return verdictGates;
    }
}
