package io.stagedrollout.core.gate.kind;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of the Prometheus text / OpenMetrics exposition format to sum the samples that match a selector
 * such as {@code http_requests_total{version="canary",code=~"5.."}} (equality and regex matchers). Public so other
 * gate kinds that scrape (the judge's and the sequential gate's sources) can share it.
 */
public final class OpenMetrics {
    private static final Pattern SELECTOR = Pattern.compile("\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(?:\\{(.*)})?\\s*");
    private static final Pattern MATCHER = Pattern.compile("\\s*([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,?");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})?\\s+(\\S+)(?:\\s+\\S+)?");

    private OpenMetrics() {}

    /** A parsed selector: a metric name and label matchers. */
    public record Selector(String name, Map<String, String> equal, Map<String, Pattern> regex, Map<String, String> notEqual) {
        public boolean matches(String metric, Map<String, String> labels) {
            if (!metric.equals(name) && !metric.equals(name + "_total")) return false;
            for (var e : equal.entrySet()) if (!e.getValue().equals(labels.getOrDefault(e.getKey(), ""))) return false;
            for (var e : notEqual.entrySet()) if (e.getValue().equals(labels.getOrDefault(e.getKey(), ""))) return false;
            for (var e : regex.entrySet()) if (!e.getValue().matcher(labels.getOrDefault(e.getKey(), "")).matches()) return false;
            return true;
        }
    }

    /** Parses a selector; throws IllegalArgumentException with a readable message when it is malformed. */
    public static Selector selector(String text) {
        Matcher m = SELECTOR.matcher(text);
        if (!m.matches()) throw new IllegalArgumentException("is not a metric selector: '" + text + "'");
        Map<String, String> eq = new LinkedHashMap<>();
        Map<String, Pattern> re = new LinkedHashMap<>();
        Map<String, String> ne = new LinkedHashMap<>();
        String labels = m.group(2);
        if (labels != null && !labels.isBlank()) {
            Matcher lm = MATCHER.matcher(labels);
            int pos = 0;
            while (pos < labels.length() && lm.find(pos) && lm.start() == pos) {
                String value = unescape(lm.group(3));
                switch (lm.group(2)) {
                    case "=" -> eq.put(lm.group(1), value);
                    case "!=" -> ne.put(lm.group(1), value);
                    default -> {
                        try {
                            re.put(lm.group(1), Pattern.compile(value));
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw new IllegalArgumentException("has a bad regular expression for " + lm.group(1) + ": " + e.getDescription());
                        }
                    }
                }
                pos = lm.end();
            }
            if (pos < labels.trim().length()) throw new IllegalArgumentException("has malformed labels: '" + labels + "'");
        }
        return new Selector(m.group(1), eq, re, ne);
    }

    /** The sum of all samples matching {@code selector}, or empty when none matches. NaN samples make it NaN. */
    public static OptionalDouble sum(String exposition, Selector selector) {
        double sum = 0;
        boolean any = false;
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            Matcher m = SAMPLE.matcher(line.trim());
            if (!m.matches()) continue;
            Map<String, String> labels = labels(m.group(2));
            if (!selector.matches(m.group(1), labels)) continue;
            double v = parseValue(m.group(3));
            sum += v;
            any = true;
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    private static double parseValue(String s) {
        return switch (s) {
            case "NaN" -> Double.NaN;
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> {
                try {
                    yield Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    yield Double.NaN;
                }
            }
        };
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        if (text == null) return out;
        Matcher lm = MATCHER.matcher(text);
        while (lm.find()) {
            if (lm.group(2).equals("=")) out.put(lm.group(1), unescape(lm.group(3)));
        }
        return out;
    }

    private static String unescape(String s) {
        return s.replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\");
    }
}
