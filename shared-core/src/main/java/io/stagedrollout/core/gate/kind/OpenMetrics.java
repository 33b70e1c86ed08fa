package io.stagedrollout.core.gate.kind;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Just enough of the Prometheus text / OpenMetrics exposition format to read the samples that match a selector such
 * as {@code http_requests_total{version="canary",code=~"5.."}} (equality, inequality and regex matchers). Public so
 * the other gate kinds that scrape (the judge's and the sequential gate's sources) share it.
 *
 * <p>Written as a scanner, not with regular expressions: a backtracking pattern over a quoted value recursed once per
 * character, so one long label on an unrelated metric overflowed the stack. Limits keep a hostile or broken endpoint
 * from costing more than a bounded amount of work: a line of a metric that is asked for must be at most
 * {@link #MAX_LINE} characters with at most {@link #MAX_LABELS} labels, and at most {@link #MAX_SERIES} series may
 * match a selector. Lines of other metrics are skipped unread past their name; a line of an asked-for metric that
 * breaks a rule or cannot be parsed makes the exposition unusable ({@link Malformed}), because skipping it could
 * hide errors, and missing data never passes.
 */
public final class OpenMetrics {
    /** The longest sample line of a selected metric, in characters. */
    public static final int MAX_LINE = 64 * 1024;
    /** The most labels one sample of a selected metric may have. */
    public static final int MAX_LABELS = 128;
    /** The most series one selector may match. */
    public static final int MAX_SERIES = 10_000;
    /** The longest selector a plan may write. */
    public static final int MAX_SELECTOR = 4096;

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private OpenMetrics() {}

    /** The exposition cannot be used for this selector; the message says where and why, without echoing much of it. */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }

    /** A parsed selector: a metric name and label matchers. */
    public record Selector(String name, Map<String, String> equal, Map<String, Pattern> regex, Map<String, String> notEqual) {
        public boolean matches(String metric, Map<String, String> labels) {
            return matchesName(metric) && matchesLabels(labels);
        }

        boolean matchesName(String metric) {
            return metric.equals(name) || metric.equals(name + "_total");
        }

        boolean matchesLabels(Map<String, String> labels) {
            for (var e : equal.entrySet()) if (!e.getValue().equals(labels.getOrDefault(e.getKey(), ""))) return false;
            for (var e : notEqual.entrySet()) if (e.getValue().equals(labels.getOrDefault(e.getKey(), ""))) return false;
            for (var e : regex.entrySet()) if (!e.getValue().matcher(labels.getOrDefault(e.getKey(), "")).matches()) return false;
            return true;
        }
    }

    /** Parses a selector; throws IllegalArgumentException with a readable message when it is malformed. */
    public static Selector selector(String text) {
        if (text.length() > MAX_SELECTOR) throw new IllegalArgumentException("is longer than " + MAX_SELECTOR + " characters");
        String t = text.strip();
        int brace = t.indexOf('{');
        String name = (brace < 0 ? t : t.substring(0, brace)).strip();
        if (!NAME.matcher(name).matches()) throw new IllegalArgumentException("is not a metric selector: '" + shorten(text) + "'");
        Map<String, String> eq = new LinkedHashMap<>();
        Map<String, Pattern> re = new LinkedHashMap<>();
        Map<String, String> ne = new LinkedHashMap<>();
        if (brace >= 0) {
            if (!t.endsWith("}")) throw new IllegalArgumentException("has malformed labels: '" + shorten(text) + "'");
            Scanner s = new Scanner(t, brace + 1, t.length() - 1);
            while (true) {
                s.spaces();
                if (s.atEnd()) break;
                String label = s.labelName();
                s.spaces();
                String op = s.operator();
                s.spaces();
                String value = s.quoted();
                if (label == null || op == null || value == null) {
                    throw new IllegalArgumentException("has malformed labels: '" + shorten(text) + "'");
                }
                switch (op) {
                    case "=" -> eq.put(label, value);
                    case "!=" -> ne.put(label, value);
                    default -> {
                        try {
                            re.put(label, Pattern.compile(value));
                        } catch (java.util.regex.PatternSyntaxException e) {
                            throw new IllegalArgumentException("has a bad regular expression for " + label + ": " + e.getDescription());
                        }
                    }
                }
                s.spaces();
                if (s.atEnd()) break;
                if (!s.take(',')) throw new IllegalArgumentException("has malformed labels: '" + shorten(text) + "'");
            }
        }
        return new Selector(name, eq, re, ne);
    }

    /** The sum of all samples matching {@code selector}, or empty when none matches. NaN samples make it NaN. */
    public static OptionalDouble sum(String exposition, Selector selector) {
        Map<String, Double> series = series(exposition, selector);
        if (series.isEmpty()) return OptionalDouble.empty();
        double sum = 0;
        for (double v : series.values()) sum += v;
        return OptionalDouble.of(sum);
    }

    /**
     * Every series matching {@code selector}, by its identity ({@code name{a="1",b="2"}}, labels sorted), with its
     * value. A counter's {@code _total} and bare name are the same series.
     *
     * @throws Malformed when a line of the selected metric is malformed or too long, or too many series match
     */
    public static Map<String, Double> series(String exposition, Selector selector) {
        Map<String, Double> out = new LinkedHashMap<>();
        int lineNo = 0;
        int pos = 0;
        int n = exposition.length();
        while (pos < n) {
            int end = exposition.indexOf('\n', pos);
            if (end < 0) end = n;
            lineNo++;
            int start = pos;
            pos = end + 1;
            while (start < end && (exposition.charAt(start) == ' ' || exposition.charAt(start) == '\t')) start++;
            if (start >= end || exposition.charAt(start) == '#') continue;
            // the metric name decides whether the rest of the line matters
            int nameEnd = start;
            while (nameEnd < end && nameChar(exposition.charAt(nameEnd))) nameEnd++;
            String name = exposition.substring(start, nameEnd);
            if (!selector.matchesName(name)) continue;
            if (end - start > MAX_LINE) throw new Malformed("line " + lineNo + " (" + name + ") is longer than " + MAX_LINE + " characters");
            Scanner s = new Scanner(exposition, nameEnd, end);
            Map<String, String> labels = s.peek() == '{' ? s.labels(lineNo, name) : Map.of();
            if (!s.spaces()) throw new Malformed("line " + lineNo + " (" + name + ") has no value");
            double value = parseValue(s.token());
            if (!selector.matchesLabels(labels)) continue;
            if (out.size() >= MAX_SERIES && !out.containsKey(identity(name, labels, selector))) {
                throw new Malformed("more than " + MAX_SERIES + " series match " + selector.name() + ": select fewer");
            }
            out.merge(identity(name, labels, selector), value, Double::sum);
        }
        return out;
    }

    private static String identity(String name, Map<String, String> labels, Selector selector) {
        StringBuilder sb = new StringBuilder(selector.name()).append('{');
        boolean first = true;
        for (var e : new TreeMap<>(labels).entrySet()) {
            if (!first) sb.append(',');
            first = false;
            sb.append(e.getKey()).append("=\"").append(e.getValue().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")).append('"');
        }
        return sb.append('}').toString();
    }

    private static boolean nameChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == ':';
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
                    yield Double.NaN; // not a number: NaN, which no gate ever passes
                }
            }
        };
    }

    private static String shorten(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "…" : s;
    }

    /** A cursor over {@code text[pos, end)}; every loop advances, nothing recurses. */
    private static final class Scanner {
        private final String text;
        private final int end;
        private int pos;

        Scanner(String text, int pos, int end) {
            this.text = text;
            this.pos = pos;
            this.end = end;
        }

        boolean atEnd() {
            return pos >= end;
        }

        char peek() {
            return pos < end ? text.charAt(pos) : '\0';
        }

        boolean take(char c) {
            if (peek() != c || atEnd()) return false;
            pos++;
            return true;
        }

        /** Skips spaces and tabs; true if there were any. */
        boolean spaces() {
            int from = pos;
            while (pos < end && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) pos++;
            return pos > from;
        }

        String token() {
            int from = pos;
            while (pos < end && text.charAt(pos) != ' ' && text.charAt(pos) != '\t' && text.charAt(pos) != '\r') pos++;
            return text.substring(from, pos);
        }

        String labelName() {
            int from = pos;
            while (pos < end && nameChar(text.charAt(pos)) && text.charAt(pos) != ':') pos++;
            String n = text.substring(from, pos);
            return LABEL_NAME.matcher(n).matches() ? n : null;
        }

        String operator() {
            if (text.startsWith("=~", pos)) {
                pos += 2;
                return "=~";
            }
            if (text.startsWith("!=", pos)) {
                pos += 2;
                return "!=";
            }
            if (take('=')) return "=";
            return null;
        }

        /** A double-quoted string with \\, \" and \n escapes; null when malformed. */
        String quoted() {
            if (!take('"')) return null;
            StringBuilder sb = new StringBuilder();
            while (pos < end) {
                char c = text.charAt(pos++);
                if (c == '"') return sb.toString();
                if (c == '\\' && pos < end) {
                    char e = text.charAt(pos++);
                    sb.append(e == 'n' ? '\n' : e);
                } else {
                    sb.append(c);
                }
            }
            return null;
        }

        /** {@code {a="1",b="2"}} of a sample line. */
        Map<String, String> labels(int lineNo, String metric) {
            take('{');
            Map<String, String> labels = new LinkedHashMap<>();
            while (true) {
                spaces();
                if (take('}')) return Collections.unmodifiableMap(labels);
                String label = labelName();
                spaces();
                if (label == null || !take('=')) throw new Malformed("line " + lineNo + " (" + metric + ") has malformed labels");
                spaces();
                String value = quoted();
                if (value == null) throw new Malformed("line " + lineNo + " (" + metric + ") has an unterminated label value");
                if (labels.put(label, value) == null && labels.size() > MAX_LABELS) {
                    throw new Malformed("line " + lineNo + " (" + metric + ") has more than " + MAX_LABELS + " labels");
                }
                spaces();
                if (take(',')) continue;
                if (take('}')) return Collections.unmodifiableMap(labels);
                throw new Malformed("line " + lineNo + " (" + metric + ") has malformed labels");
            }
        }
    }
}
