package io.stagedrollout.cli.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON object a {@code rollout ... --output json} command prints (COMMON.md "CLI contract"), read
 * tolerantly: the adapter needs only these fields and must not break when the CLI adds more.
 */
public record CliResult(String command, String result, int exitCode, String message, Rollout rollout,
                        List<String> problems) {

    public CliResult {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** The rollout as the command left it; null when the command did not reach one (invalid input, not found). */
    public record Rollout(String key, String id, String service, String environment, String version,
                          String stableVersion, String lastGoodVersion, String status, String ring, Integer ringIndex,
                          Integer ringCount, Double exposurePercent, String hold, String reason, Verdict verdict,
                          List<Gate> gates, List<String> ringNames) {
        public Rollout {
            gates = gates == null ? List.of() : List.copyOf(gates);
            ringNames = ringNames == null ? List.of() : List.copyOf(ringNames);
        }
    }

    /** A ring's concluded verdict with every gate's verdict. */
    public record Verdict(String ring, String verdict, String reason, List<Gate> gates) {
        public Verdict {
            gates = gates == null ? List.of() : List.copyOf(gates);
        }
    }

    /** One gate: its verdict (null while the ring still bakes), reason, and measurement tallies. */
    public record Gate(String gate, String verdict, boolean dryRun, String reason, int measurements, int passed,
                       int failed, int inconclusive, int errors, String lastOutcome, Double lastValue,
                       String lastSummary) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * True when the command stopped because the ring it judged passed and now waits for its manual approval: the
     * ring's job did its work, the promote job is next.
     */
    public boolean ringPassedAndAwaitsApproval() {
        return exitCode == 4 && rollout != null && "AWAITING_APPROVAL".equals(rollout.status())
                && "approval".equals(rollout.hold()) && rollout.verdict() != null
                && "PASS".equals(rollout.verdict().verdict());
    }

    /** Parses the CLI's stdout; throws with the reason when it is not the contract's JSON object. */
    public static CliResult parse(String stdout) {
        JsonNode root;
        try {
            root = JSON.readTree(stdout == null ? "" : stdout.strip());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the rollout command did not print a JSON object: "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the rollout command did not print a JSON object");
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode p : root.path("problems")) {
            String path = text(p, "path");
            String message = text(p, "message");
            problems.add(path == null ? String.valueOf(message) : path + ": " + message);
        }
        JsonNode r = root.path("rollout");
        Rollout rollout = r.isObject() ? rollout(r) : null;
        return new CliResult(text(root, "command"), text(root, "result"), root.path("exitCode").asInt(1),
                text(root, "message"), rollout, problems);
    }

    private static Rollout rollout(JsonNode r) {
        JsonNode v = r.path("verdict");
        Verdict verdict = v.isObject()
                ? new Verdict(text(v, "ring"), text(v, "verdict"), text(v, "reason"), gates(v.path("gates")))
                : null;
        return new Rollout(text(r, "key"), text(r, "id"), text(r, "service"), text(r, "environment"),
                text(r, "version"), text(r, "stableVersion"), text(r, "lastGoodVersion"), text(r, "status"),
                text(r, "ring"), integer(r, "ringIndex"), integer(r, "ringCount"), number(r, "exposurePercent"),
                text(r, "hold"), text(r, "reason"), verdict, gates(r.path("gates")), ringNames(r.path("rings")));
    }

    private static List<String> ringNames(JsonNode rings) {
        List<String> names = new ArrayList<>();
        for (JsonNode ring : rings) names.add(text(ring, "name"));
        return names;
    }

    private static List<Gate> gates(JsonNode array) {
        List<Gate> gates = new ArrayList<>();
        for (JsonNode g : array) {
            JsonNode last = g.path("last");
            gates.add(new Gate(text(g, "gate"), text(g, "verdict"), g.path("dryRun").asBoolean(false),
                    text(g, "reason"), g.path("measurements").asInt(0), g.path("passed").asInt(0),
                    g.path("failed").asInt(0), g.path("inconclusive").asInt(0), g.path("errors").asInt(0),
                    text(last, "outcome"), number(last, "value"), text(last, "summary")));
        }
        return gates;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asInt() : null;
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isNumber() ? v.asDouble() : null;
    }
}
