package io.stagedrollout.cli.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.gate.Thresholds;
import io.stagedrollout.core.plan.GateSpec;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Recorded measurements, one JSON object per line: {@code {"time": "2026-11-20T14:03:00Z", "gate": "error-rate",
 * "value": 0.02}} (the gate's own {@code min}/{@code max}/{@code marginal} judge the value), or with an explicit
 * {@code "outcome": "FAIL"} (and an optional {@code "summary"}) for gates without thresholds. {@code metric} is
 * accepted for {@code gate}. Blank lines and lines starting with {@code #} are skipped.
 */
public final class Recording {
    /** One recorded sample, already judged. */
    public record Sample(Instant time, String gate, Outcome outcome, Double value, String summary) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private final Map<String, List<Sample>> byGate;

    private Recording(Map<String, List<Sample>> byGate) {
        this.byGate = byGate;
    }

    public List<Sample> samples(String gate) {
        return byGate.getOrDefault(gate, List.of());
    }

    public Instant first() {
        return byGate.values().stream().map(l -> l.get(0).time()).min(Comparator.naturalOrder()).orElse(null);
    }

    public int size() {
        return byGate.values().stream().mapToInt(List::size).sum();
    }

    /** The latest sample of {@code gate} taken at or before {@code t} and less than {@code maxAge} old, if any (one sample counts for one interval). */
    public Sample at(String gate, Instant t, java.time.Duration maxAge) {
        Sample best = null;
        for (Sample s : samples(gate)) {
            if (s.time().isAfter(t)) break;
            best = s;
        }
        return best != null && best.time().isAfter(t.minus(maxAge)) ? best : null;
    }

    /** Reads and judges every line; every bad line is reported with its number, and nothing is returned then. */
    public static Recording read(Path file, RolloutPlan plan, List<Problem> problems) throws IOException {
        if (Files.size(file) > MAX_BYTES) {
            problems.add(new Problem("--metrics", 0, file + " is larger than " + MAX_BYTES + " bytes"));
            return null;
        }
        Map<String, List<Sample>> byGate = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                Sample s = sample(t, n, plan, problems);
                if (s != null) byGate.computeIfAbsent(s.gate(), k -> new ArrayList<>()).add(s);
            }
        }
        if (byGate.isEmpty() && problems.isEmpty()) problems.add(new Problem("--metrics", 0, file + " holds no measurements"));
        if (!problems.isEmpty()) return null;
        byGate.values().forEach(l -> l.sort(Comparator.comparing(Sample::time)));
        return new Recording(byGate);
    }

    private static Sample sample(String text, int line, RolloutPlan plan, List<Problem> problems) {
        String path = "line " + line;
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (IOException e) {
            problems.add(new Problem(path, line, "is not a JSON object"));
            return null;
        }
        if (o == null || !o.isObject()) {
            problems.add(new Problem(path, line, "is not a JSON object"));
            return null;
        }
        String gate = o.hasNonNull("gate") ? o.get("gate").asText() : o.hasNonNull("metric") ? o.get("metric").asText() : null;
        if (gate == null) {
            problems.add(new Problem(path + ".gate", line, "is required: the gate the measurement belongs to"));
            return null;
        }
        GateSpec spec = plan.gates().get(gate);
        if (spec == null) {
            problems.add(new Problem(path + ".gate", line, "names '" + gate + "', which the plan does not define in gates (it has "
                    + String.join(", ", plan.gates().keySet()) + ")"));
            return null;
        }
        Instant time;
        try {
            time = o.hasNonNull("time") ? OffsetDateTime.parse(o.get("time").asText()).toInstant() : null;
        } catch (DateTimeParseException e) {
            time = null;
        }
        if (time == null) {
            problems.add(new Problem(path + ".time", line, "is required: an ISO date-time with offset, such as 2026-11-20T14:03:00Z"));
            return null;
        }
        Double value = null;
        if (o.hasNonNull("value")) {
            if (!o.get("value").isNumber()) {
                problems.add(new Problem(path + ".value", line, "must be a number"));
                return null;
            }
            value = o.get("value").asDouble();
        }
        String summary = o.hasNonNull("summary") ? o.get("summary").asText() : null;
        if (o.hasNonNull("outcome")) {
            Outcome outcome;
            try {
                outcome = Outcome.valueOf(o.get("outcome").asText().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(path + ".outcome", line, "must be PASS, FAIL, INCONCLUSIVE or ERROR"));
                return null;
            }
            return new Sample(time, gate, outcome, value, summary != null ? summary : "recorded " + outcome
                    + (value == null ? "" : " (" + value + ")"));
        }
        if (value == null) {
            problems.add(new Problem(path, line, "needs a value or an outcome"));
            return null;
        }
        Thresholds th = thresholds(spec);
        if (th == null) {
            problems.add(new Problem(path + ".value", line, "gate '" + gate + "' (" + spec.kind()
                    + ") has no min or max to judge a value against: record an outcome"));
            return null;
        }
        return new Sample(time, gate, th.judge(value), value, summary != null ? summary : "recorded " + th.explain(value));
    }

    private static Thresholds thresholds(GateSpec spec) {
        Double min = number(spec.settings().get("min"));
        Double max = number(spec.settings().get("max"));
        if (min == null && max == null) return null;
        Double marginal = number(spec.settings().get("marginal"));
        return new Thresholds(min, max, marginal == null ? 0 : marginal);
    }

    private static Double number(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
