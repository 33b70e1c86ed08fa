package io.stagedrollout.core.gate;

import java.util.List;
import java.util.stream.Collectors;

/** A ring's verdict: the worst verdict of its counted gates, with every gate's verdict kept as evidence. */
public record RingVerdict(String ring, Verdict verdict, List<GateVerdict> gates, String reason) {
    public RingVerdict {
        gates = List.copyOf(gates);
    }

    public static RingVerdict of(String ring, List<GateVerdict> gates) {
        Verdict worst = Verdict.PASS;
        for (GateVerdict g : gates) {
            if (!g.dryRun()) worst = worst.worst(g.verdict());
        }
        final Verdict v = worst;
        String reason;
        if (gates.stream().noneMatch(g -> !g.dryRun())) {
            reason = "no gates: the ring passed on bake time alone";
        } else if (v == Verdict.PASS) {
            reason = "all gates passed: " + gates.stream().filter(g -> !g.dryRun())
                    .map(GateVerdict::reason).collect(Collectors.joining("; "));
        } else {
            reason = gates.stream().filter(g -> !g.dryRun() && g.verdict() == v)
                    .map(GateVerdict::reason).collect(Collectors.joining("; "));
        }
        return new RingVerdict(ring, v, gates, reason);
    }
}
