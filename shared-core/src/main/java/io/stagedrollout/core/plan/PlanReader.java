package io.stagedrollout.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.action.ActionKind;
import io.stagedrollout.core.action.ActionKinds;
import io.stagedrollout.core.gate.GateKind;
import io.stagedrollout.core.gate.GateKinds;
import io.stagedrollout.core.store.RolloutKey;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a plan file (YAML or JSON), validates all of it and expands strategy shorthands into rings. Every problem
 * is reported at once with its path and line; a plan with any problem yields no {@link RolloutPlan} at all.
 *
 * <p>Shorthands: {@code strategy: percentage} with {@code steps: [5, 25, 50, 100]} gives rings {@code 5pct} …
 * {@code 100pct}; {@code strategy: canary} gives {@code canary} (default 10%) and {@code everyone};
 * {@code strategy: bigbang} gives one ring {@code everyone} at 100%. Their rings share the top-level {@code bake},
 * {@code approval}, {@code onFailure}, {@code onInconclusive}, {@code deploy}, and {@code stepGates} (default: every
 * gate the plan defines).
 */
public final class PlanReader {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Set<String> GATE_COMMON = Set.of("kind", "interval", "count", "initialDelay", "failureLimit",
            "inconclusiveLimit", "consecutiveErrorLimit", "dryRun", "onError");

    private PlanReader() {}

    /**
     * The file's bytes, refused once it passes the limit: read with a bound rather than trusting its size, which is 0
     * for /dev/zero, a pipe or a FIFO that never ends.
     */
    static byte[] readBounded(Path file) throws InvalidPlanException, IOException {
        byte[] bytes;
        try (java.io.InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(LocatedTree.MAX_BYTES + 1);
        }
        if (bytes.length > LocatedTree.MAX_BYTES) {
            throw new InvalidPlanException(List.of(new Problem("", 0, "the plan is larger than " + LocatedTree.MAX_BYTES + " bytes")));
        }
        return bytes;
    }

    public static RolloutPlan read(Path file) throws InvalidPlanException, IOException {
        if (Files.isDirectory(file)) {
            throw new InvalidPlanException(List.of(new Problem("", 0, file + " is a directory, not a plan file")));
        }
        byte[] bytes = readBounded(file);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidPlanException(List.of(new Problem("", 0, "the plan is not UTF-8 text")));
        }
        return parse(text);
    }

    public static RolloutPlan parse(String text) throws InvalidPlanException {
        List<Problem> problems = new ArrayList<>();
        LocatedTree tree = LocatedTree.parse(text.startsWith("\uFEFF") ? text.substring(1) : text, problems);
        if (tree == null) throw new InvalidPlanException(problems);
        if (!tree.root().isObject()) {
            problems.add(new Problem("", tree.lineOf(""), "a plan is a mapping with service, environment, rings, gates and actions"));
            throw new InvalidPlanException(problems);
        }
        RolloutPlan plan = new PlanReader.Reading(tree, problems).plan();
        if (!problems.isEmpty()) throw new InvalidPlanException(sorted(problems));
        return plan;
    }

    private static List<Problem> sorted(List<Problem> problems) {
        List<Problem> out = new ArrayList<>(new LinkedHashSet<>(problems));
        out.sort(java.util.Comparator.comparingInt(Problem::line));
        return out;
    }

    /** One pass over one plan, collecting problems. */
    private static final class Reading {
        private final LocatedTree tree;
        private final List<Problem> problems;

        Reading(LocatedTree tree, List<Problem> problems) {
            this.tree = tree;
            this.problems = problems;
        }

        RolloutPlan plan() {
            SpecReader top = new SpecReader(tree.root(), "", tree, problems);
            String service = name(top, "service");
            String environment = name(top, "environment");
            String strategyText = top.choice("strategy", "rings", "rings", "canary", "percentage", "bigbang");
            Strategy strategy = Strategy.valueOf(strategyText.toUpperCase(Locale.ROOT));

            Map<String, GateSpec> gates = gates(top.object("gates"));
            Set<String> approvalGates = new HashSet<>();
            Map<String, GateSpec> probeGates = new LinkedHashMap<>();
            gates.forEach((k, v) -> {
                if (GateKinds.APPROVAL.equals(v.kind())) approvalGates.add(k);
                else probeGates.put(k, v);
            });
            boolean hasActions = top.has("actions");
            Map<String, ActionSpec> actions = actions(top.object("actions"));

            List<Ring> rings = strategy == Strategy.RINGS
                    ? rings(top, gates, approvalGates)
                    : shorthand(top, strategy, gates, approvalGates);
            checkExposure(rings);
            if (hasActions) {
                for (int i = 0; i < rings.size(); i++) {
                    Ring r = rings.get(i);
                    if (!actions.containsKey(r.deploy())) {
                        String path = strategy == Strategy.RINGS ? "rings[" + i + "].deploy" : "deploy";
                        problem(path, "names the action '" + r.deploy() + "', which the plan does not define in actions");
                    }
                }
                if (!actions.containsKey(RolloutPlan.DEFAULT_REVERT)) {
                    problem("actions", "has no 'revert' action: a plan that deploys must say how to revert");
                }
            }
            io.stagedrollout.core.planning.PlanningInputs planning = null;
            if (top.has("planning")) {
                SpecReader p = top.object("planning");
                planning = io.stagedrollout.core.planning.PlanningInputs.read(p);
                p.finish();
            }
            List<io.stagedrollout.core.policy.Window> windows = io.stagedrollout.core.policy.PolicyReader.windows(top);
            List<io.stagedrollout.core.policy.Freeze> freezes = io.stagedrollout.core.policy.PolicyReader.freezes(top);
            Map<String, io.stagedrollout.core.notify.NotifyTarget> notify = io.stagedrollout.core.notify.NotifyReader.read(top);
            top.finish();
            return new RolloutPlan(service, environment, strategy, rings, probeGates, actions, planning, windows, freezes, notify);
        }

        private String name(SpecReader r, String field) {
            String v = r.requiredString(field);
            if (v != null && !RolloutKey.validPart(v)) {
                r.problem(field, "'" + v + "' is not valid: use 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
            }
            return v;
        }

        private Map<String, GateSpec> gates(SpecReader section) {
            Map<String, GateSpec> out = new LinkedHashMap<>();
            JsonNode gatesNode = tree.root().get("gates");
            if (gatesNode == null || !gatesNode.isObject()) return out;
            gatesNode.fieldNames().forEachRemaining(name -> {
                SpecReader g = section.object(name);
                if (!NAME.matcher(name).matches()) g.problem("", "gate name '" + name + "' must be letters, digits, '.', '_' or '-'");
                GateSpec spec = gate(name, g);
                if (spec != null) out.put(name, spec);
            });
            return out;
        }

        private GateSpec gate(String name, SpecReader g) {
            String kind = g.requiredString("kind");
            Duration interval = g.duration("interval", GateSpec.DEFAULT_INTERVAL);
            if (interval.toMillis() < 100) g.problem("interval", "must be at least 100ms");
            Integer count = g.optionalInteger("count", 1, 100_000).orElse(null);
            Duration initialDelay = g.duration("initialDelay", Duration.ZERO);
            int failureLimit = g.integer("failureLimit", 0, 0, 100_000);
            int inconclusiveLimit = g.integer("inconclusiveLimit", 0, 0, 100_000);
            int consecutiveErrorLimit = g.integer("consecutiveErrorLimit", GateSpec.DEFAULT_CONSECUTIVE_ERROR_LIMIT, 0, 100_000);
            boolean dryRun = g.bool("dryRun", false);
            OnVerdict onError = OnVerdict.valueOf(g.choice("onError", "hold", "hold", "revert").toUpperCase(Locale.ROOT));
            if (kind == null) {
                g.finish();
                return null;
            }
            if (GateKinds.APPROVAL.equals(kind)) {
                g.finish();
                return new GateSpec(name, kind, interval, count, initialDelay, failureLimit, inconclusiveLimit,
                        consecutiveErrorLimit, dryRun, Map.of(), onError);
            }
            Optional<GateKind> k = GateKinds.find(kind);
            if (k.isEmpty()) {
                g.problem("kind", "unknown gate kind '" + kind + "'; use one of " + String.join(", ", GateKinds.names()));
                return null;
            }
            k.get().validate(g);
            g.finish();
            Set<String> exclude = new HashSet<>(GATE_COMMON);
            return new GateSpec(name, kind, interval, count, initialDelay, failureLimit, inconclusiveLimit,
                    consecutiveErrorLimit, dryRun, g.asMap(exclude), onError);
        }

        private Map<String, ActionSpec> actions(SpecReader section) {
            Map<String, ActionSpec> out = new LinkedHashMap<>();
            JsonNode node = tree.root().get("actions");
            if (node == null || !node.isObject()) return out;
            node.fieldNames().forEachRemaining(name -> {
                SpecReader a = section.object(name);
                if (!NAME.matcher(name).matches()) a.problem("", "action name '" + name + "' must be letters, digits, '.', '_' or '-'");
                String kind = a.requiredString("kind");
                if (kind == null) {
                    a.finish();
                    return;
                }
                Optional<ActionKind> k = ActionKinds.find(kind);
                if (k.isEmpty()) {
                    a.problem("kind", "unknown action kind '" + kind + "'; use one of " + String.join(", ", ActionKinds.names()));
                    return;
                }
                k.get().validate(a);
                a.finish();
                out.put(name, new ActionSpec(name, kind, a.asMap(Set.of("kind"))));
            });
            return out;
        }

        private List<Ring> rings(SpecReader top, Map<String, GateSpec> gates, Set<String> approvalGates) {
            JsonNode node = top.raw("rings");
            List<Ring> out = new ArrayList<>();
            if (node == null) {
                top.problem("rings", "is required: list the rings (or use strategy: percentage, canary or bigbang)");
                return out;
            }
            if (!node.isArray() || node.isEmpty()) {
                top.problem("rings", "must be a non-empty list of rings");
                return out;
            }
            Set<String> names = new HashSet<>();
            for (int i = 0; i < node.size(); i++) {
                String path = "rings[" + i + "]";
                SpecReader r = new SpecReader(node.get(i), path, tree, problems);
                String name = r.requiredString("name");
                if (name != null) {
                    if (!NAME.matcher(name).matches()) r.problem("name", "'" + name + "' must be 1 to 63 letters, digits, '.', '_' or '-'");
                    if (!names.add(name)) r.problem("name", "duplicate ring name '" + name + "'");
                }
                Exposure exposure = exposure(r);
                Ring body = ringBody(r, name, exposure, gates, approvalGates, r.stringList("gates"), "gates");
                out.add(withWindows(body, io.stagedrollout.core.policy.PolicyReader.windows(r)));
                r.finish();
            }
            return out;
        }

        private static Ring withWindows(Ring r, List<io.stagedrollout.core.policy.Window> windows) {
            return new Ring(r.name(), r.exposure(), r.bake(), r.gates(), r.approval(), r.onFailure(), r.onInconclusive(),
                    r.deploy(), windows);
        }

        private Exposure exposure(SpecReader r) {
            boolean hasExposure = r.has("exposure");
            boolean hasTargets = r.has("targets");
            if (hasExposure && hasTargets) {
                r.problem("targets", "give exposure or targets, not both");
                return null;
            }
            if (hasTargets) {
                List<String> targets = r.stringList("targets");
                if (targets.isEmpty()) r.problem("targets", "must list at least one target");
                if (new HashSet<>(targets).size() != targets.size()) r.problem("targets", "lists a target twice");
                return new Exposure(-1, targets);
            }
            if (!hasExposure) {
                r.problem("exposure", "is required: a percentage such as 5% (or targets: [...])");
                return null;
            }
            Double p = percent(r, "exposure", r.raw("exposure"));
            return p == null ? null : Exposure.percent(p);
        }

        private Double percent(SpecReader r, String field, JsonNode v) {
            String text = v.asText().trim();
            if (text.endsWith("%")) text = text.substring(0, text.length() - 1).trim();
            double p;
            try {
                p = v.isNumber() ? v.asDouble() : Double.parseDouble(text);
            } catch (NumberFormatException e) {
                r.problem(field, "'" + v.asText() + "' is not a percentage (write 5% or 5)");
                return null;
            }
            if (!(p > 0 && p <= 100)) {
                r.problem(field, "must be more than 0% and at most 100%, not " + v.asText());
                return null;
            }
            return p;
        }

        private Ring ringBody(SpecReader r, String name, Exposure exposure, Map<String, GateSpec> gates,
                Set<String> approvalGates, List<String> gateNames, String gatesField) {
            Duration bake = r.duration("bake", Duration.ZERO);
            String approval = r.choice("approval", "auto", "auto", "manual");
            String onFailure = r.choice("onFailure", "revert", "revert", "hold");
            String onInconclusive = r.choice("onInconclusive", "hold", "hold", "revert");
            String deploy = r.string("deploy", RolloutPlan.DEFAULT_DEPLOY);
            List<String> probes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < gateNames.size(); i++) {
                String g = gateNames.get(i);
                if (!seen.add(g)) {
                    r.problem(gatesField + "[" + i + "]", "names gate '" + g + "' twice");
                } else if (!gates.containsKey(g) && !tree.root().path("gates").has(g)) {
                    r.problem(gatesField + "[" + i + "]", "names the gate '" + g + "', which the plan does not define in gates");
                } else if (approvalGates.contains(g)) {
                    approval = "manual";
                } else if (gates.containsKey(g)) {
                    probes.add(g);
                }
            }
            return new Ring(name, exposure, bake, probes, Approval.valueOf(approval.toUpperCase(Locale.ROOT)),
                    OnVerdict.valueOf(onFailure.toUpperCase(Locale.ROOT)),
                    OnVerdict.valueOf(onInconclusive.toUpperCase(Locale.ROOT)), deploy);
        }

        private List<Ring> shorthand(SpecReader top, Strategy strategy, Map<String, GateSpec> gates, Set<String> approvalGates) {
            List<Double> steps = new ArrayList<>();
            JsonNode stepsNode = top.raw("steps");
            if (strategy == Strategy.BIGBANG) {
                if (stepsNode != null) top.problem("steps", "does not apply to strategy bigbang (one ring at 100%)");
                steps.add(100.0);
            } else if (stepsNode == null) {
                if (strategy == Strategy.PERCENTAGE) {
                    top.problem("steps", "is required for strategy percentage, e.g. steps: [5, 25, 50, 100]");
                } else {
                    steps.add(10.0);
                    steps.add(100.0);
                }
            } else if (!stepsNode.isArray() || stepsNode.isEmpty()) {
                top.problem("steps", "must be a non-empty list of percentages");
            } else {
                for (int i = 0; i < stepsNode.size(); i++) {
                    Double p = percent(top, "steps[" + i + "]", stepsNode.get(i));
                    if (p != null) steps.add(p);
                }
                if (strategy == Strategy.CANARY && steps.size() > 0 && steps.get(steps.size() - 1) < 100) steps.add(100.0);
            }
            if (top.has("rings")) top.problem("rings", "is not used with strategy " + strategy.yamlName() + "; use steps (or strategy: rings)");
            List<String> gateNames = top.has("stepGates") ? top.stringList("stepGates") : new ArrayList<>(gates.keySet());
            List<Ring> out = new ArrayList<>();
            Ring template = ringBody(top, "template", Exposure.percent(100), gates, approvalGates, gateNames, "stepGates");
            for (int i = 0; i < steps.size(); i++) {
                double p = steps.get(i);
                String name = switch (strategy) {
                    case BIGBANG -> "everyone";
                    case CANARY -> i == steps.size() - 1 ? "everyone" : i == 0 ? "canary" : "canary-" + (i + 1);
                    default -> (p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p)) + "pct";
                };
                out.add(new Ring(name, Exposure.percent(p), template.bake(), template.gates(), template.approval(),
                        template.onFailure(), template.onInconclusive(), template.deploy()));
            }
            return out;
        }

        /** Exposure never decreases, the last ring reaches everyone, and target rings get their share as percent. */
        private void checkExposure(List<Ring> rings) {
            if (rings.isEmpty() || rings.stream().anyMatch(r -> r.exposure() == null)) return;
            boolean targets = rings.get(0).exposure().byTargets();
            if (rings.stream().anyMatch(r -> r.exposure().byTargets() != targets)) {
                problem("rings", "mixes percentage rings and target rings; use one or the other");
                return;
            }
            if (targets) {
                Set<String> all = new LinkedHashSet<>();
                rings.forEach(r -> all.addAll(r.exposure().targets()));
                Set<String> reached = new HashSet<>();
                for (int i = 0; i < rings.size(); i++) {
                    Ring r = rings.get(i);
                    reached.addAll(r.exposure().targets());
                    double pct = 100.0 * reached.size() / all.size();
                    rings.set(i, new Ring(r.name(), new Exposure(pct, r.exposure().targets()), r.bake(), r.gates(),
                            r.approval(), r.onFailure(), r.onInconclusive(), r.deploy(), r.windows()));
                }
                return;
            }
            for (int i = 1; i < rings.size(); i++) {
                if (rings.get(i).exposure().percent() < rings.get(i - 1).exposure().percent()) {
                    problem("rings[" + i + "].exposure", "decreases from " + rings.get(i - 1).exposure().describe()
                            + " to " + rings.get(i).exposure().describe() + "; exposure never decreases from ring to ring");
                }
            }
            Ring last = rings.get(rings.size() - 1);
            if (last.exposure().percent() < 100) {
                problem("rings[" + (rings.size() - 1) + "].exposure", "the last ring must reach 100%, not "
                        + last.exposure().describe());
            }
        }

        private void problem(String path, String message) {
            problems.add(new Problem(path, tree.lineOf(path), message));
        }
    }
}
