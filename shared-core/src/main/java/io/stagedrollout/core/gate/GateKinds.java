package io.stagedrollout.core.gate;

import io.stagedrollout.core.gate.kind.CommandGate;
import io.stagedrollout.core.gate.kind.HttpGate;
import io.stagedrollout.core.gate.kind.MetricsGate;
import io.stagedrollout.core.gate.kind.PrometheusGate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The gate kinds a plan may name: the built-in ones, plus any {@link GateKind} on the class path registered through
 * {@code META-INF/services/io.stagedrollout.core.gate.GateKind}. {@code approval} is not a probe: the plan reader
 * turns it into the ring's manual approval.
 */
public final class GateKinds {
    public static final String APPROVAL = "approval";
    private static final Map<String, GateKind> KINDS = load();

    private GateKinds() {}

    private static Map<String, GateKind> load() {
        Map<String, GateKind> m = new LinkedHashMap<>();
        for (GateKind k : new GateKind[] {new HttpGate(), new CommandGate(), new MetricsGate(), new PrometheusGate(),
                new io.stagedrollout.core.judge.JudgeGate()}) {
            m.put(k.kind(), k);
        }
        for (GateKind k : ServiceLoader.load(GateKind.class, GateKinds.class.getClassLoader())) {
            m.putIfAbsent(k.kind(), k);
        }
        return Map.copyOf(m);
    }

    public static Optional<GateKind> find(String kind) {
        return Optional.ofNullable(KINDS.get(kind));
    }

    /** Every kind a plan may use, for messages ("must be one of …"). */
    public static Set<String> names() {
        var s = new java.util.TreeSet<>(KINDS.keySet());
        s.add(APPROVAL);
        return s;
    }
}
