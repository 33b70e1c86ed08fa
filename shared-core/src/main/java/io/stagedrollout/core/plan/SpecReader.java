package io.stagedrollout.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.text.PlainJson;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one object in a plan (a gate, an action, a ring) with types, defaults and paths, and records
 * every problem instead of stopping at the first. Fields never read are reported as unknown by {@link #finish()},
 * so a misspelt option is an error rather than silently ignored. Gate and action kinds use this to declare their
 * own fields.
 */
public final class SpecReader {
    private final ObjectNode node;
    private final String path;
    private final LocatedTree tree;
    private final List<Problem> problems;
    private final Set<String> read = new LinkedHashSet<>();

    public SpecReader(JsonNode node, String path, LocatedTree tree, List<Problem> problems) {
        this.node = node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
        this.path = path;
        this.tree = tree;
        this.problems = problems;
        if (node != null && !node.isObject() && !node.isNull()) {
            problem("", "must be a mapping of fields, not " + describe(node));
        }
    }

    /** A reader over settings kept in stored state (already validated, so no lines). */
    public static SpecReader of(Map<String, Object> settings, String path, List<Problem> problems) {
        JsonNode n = tree(settings);
        return new SpecReader(n, path, LocatedTree.of(n), problems);
    }

    /**
     * The tree of a stored value, as the data binding's {@code valueToTree} makes it for the JSON values a state
     * holds, built directly: a driving command that only runs a stored plan's gates and actions then builds no
     * ObjectMapper (issue 18). Anything else is left to the data binding.
     */
    static JsonNode tree(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) return f.nullNode();
        if (v instanceof String s) return f.textNode(s);
        if (v instanceof Integer i) return f.numberNode(i);
        if (v instanceof Long l) return f.numberNode(l);
        if (v instanceof Double d) return f.numberNode(d);
        if (v instanceof Boolean b) return f.booleanNode(b);
        if (v instanceof List<?> list) {
            var a = f.arrayNode(list.size());
            for (Object e : list) a.add(tree(e));
            return a;
        }
        if (v instanceof Map<?, ?> map && map.keySet().stream().allMatch(String.class::isInstance)) {
            ObjectNode o = f.objectNode();
            map.forEach((k, e) -> o.set((String) k, tree(e)));
            return o;
        }
        return PlainJson.mapper().valueToTree(v);
    }

    /**
     * The plain Java value of a node (maps, lists, strings, numbers, booleans, nulls), as the data binding's
     * {@code convertValue(node, Object.class)} makes it, made directly: `start` keeps each gate's and action's
     * settings this way, and building an ObjectMapper for it cost every start some 50 ms (issue 18). Binary and
     * POJO nodes are left to the data binding.
     */
    static Object plain(JsonNode v) {
        switch (v.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> m.put(e.getKey(), plain(e.getValue())));
                return m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>(v.size());
                for (JsonNode e : v) l.add(plain(e));
                return l;
            }
            case STRING -> {
                return v.textValue();
            }
            case NUMBER -> {
                return v.numberValue();
            }
            case BOOLEAN -> {
                return v.booleanValue();
            }
            case NULL, MISSING -> {
                return null;
            }
            default -> {
                return PlainJson.mapper().convertValue(v, Object.class);
            }
        }
    }

    public String path() {
        return path;
    }

    public String pathOf(String field) {
        return field.isEmpty() ? path : path.isEmpty() ? field : path + "." + field;
    }

    public void problem(String field, String message) {
        String p = pathOf(field);
        problems.add(new Problem(p, tree.lineOf(p), message));
    }

    public boolean has(String field) {
        read.add(field);
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    /** The raw value (null when absent); marks the field as known. */
    public JsonNode raw(String field) {
        read.add(field);
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v;
    }

    public String requiredString(String field) {
        JsonNode v = raw(field);
        if (v == null) {
            problem(field, "is required");
            return null;
        }
        return text(field, v);
    }

    public Optional<String> string(String field) {
        JsonNode v = raw(field);
        return v == null ? Optional.empty() : Optional.ofNullable(text(field, v));
    }

    public String string(String field, String dflt) {
        return string(field).orElse(dflt);
    }

    private String text(String field, JsonNode v) {
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        problem(field, "must be a string, not " + describe(v));
        return null;
    }

    /** A string restricted to {@code allowed} (case-insensitive); returns it lower-cased. */
    public String choice(String field, String dflt, String... allowed) {
        Optional<String> s = string(field);
        if (s.isEmpty()) return dflt;
        String v = s.get().toLowerCase(java.util.Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) return v;
        }
        problem(field, "must be one of " + String.join(", ", allowed) + ", not '" + s.get() + "'");
        return dflt;
    }

    public Duration duration(String field, Duration dflt) {
        return optionalDuration(field).orElse(dflt);
    }

    public Optional<Duration> optionalDuration(String field) {
        JsonNode v = raw(field);
        if (v == null) return Optional.empty();
        if (v.isIntegralNumber() && v.asLong() == 0) return Optional.of(Duration.ZERO);
        Optional<Duration> d = v.isTextual() ? Durations.parse(v.asText().trim()) : Optional.empty();
        if (d.isEmpty()) {
            problem(field, "is not a duration: '" + v.asText()
                    + "' (write 0s, 30s, 10m, 1h30m or 250ms; at most " + Durations.format(Durations.MAX) + ")");
        }
        return d;
    }

    public Optional<Double> number(String field) {
        JsonNode v = raw(field);
        if (v == null) return Optional.empty();
        if (v.isNumber() && Double.isFinite(v.asDouble())) return Optional.of(v.asDouble());
        if (v.isTextual()) {
            try {
                double d = Double.parseDouble(v.asText().trim());
                if (Double.isFinite(d)) return Optional.of(d);
            } catch (NumberFormatException ignored) {
                // reported below
            }
        }
        problem(field, "must be a finite number, not " + describe(v));
        return Optional.empty();
    }

    public int integer(String field, int dflt, int min, int max) {
        return optionalInteger(field, min, max).orElse(dflt);
    }

    public Optional<Integer> optionalInteger(String field, int min, int max) {
        JsonNode v = raw(field);
        if (v == null) return Optional.empty();
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            problem(field, "must be a whole number from " + min + " to " + max + ", not " + describe(v));
            return Optional.empty();
        }
        int i = v.asInt();
        if (i < min || i > max) {
            problem(field, "must be from " + min + " to " + max + ", not " + i);
            return Optional.empty();
        }
        return Optional.of(i);
    }

    public boolean bool(String field, boolean dflt) {
        JsonNode v = raw(field);
        if (v == null) return dflt;
        if (v.isBoolean()) return v.asBoolean();
        problem(field, "must be true or false, not " + describe(v));
        return dflt;
    }

    /** A list of strings; a single string is accepted as a list of one. */
    public List<String> stringList(String field) {
        JsonNode v = raw(field);
        List<String> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) {
            problem(field, "must be a list of strings, not " + describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            if (e.isTextual() || e.isNumber()) {
                out.add(e.asText());
            } else {
                problem(field + "[" + i + "]", "must be a string, not " + describe(e));
            }
        }
        return out;
    }

    /** A mapping of string to string (headers, environment). */
    public Map<String, String> stringMap(String field) {
        JsonNode v = raw(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (v == null) return out;
        if (!v.isObject()) {
            problem(field, "must be a mapping of names to strings, not " + describe(v));
            return out;
        }
        v.fields().forEachRemaining(e -> {
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(e.getKey(), e.getValue().asText());
            } else {
                problem(field + "." + e.getKey(), "must be a string, not " + describe(e.getValue()));
            }
        });
        return out;
    }

    /** A nested object, read by its own reader (call its {@link #finish()}). */
    public SpecReader object(String field) {
        JsonNode v = raw(field);
        return new SpecReader(v, pathOf(field), tree, problems);
    }

    /** A list of mappings, each with its own reader at {@code field[i]} (a single mapping is a list of one). */
    public List<SpecReader> objectList(String field) {
        JsonNode v = raw(field);
        List<SpecReader> out = new ArrayList<>();
        if (v == null) return out;
        if (v.isObject()) {
            out.add(new SpecReader(v, pathOf(field), tree, problems));
            return out;
        }
        if (!v.isArray()) {
            problem(field, "must be a list of mappings, not " + describe(v));
            return out;
        }
        for (int i = 0; i < v.size(); i++) out.add(new SpecReader(v.get(i), pathOf(field) + "[" + i + "]", tree, problems));
        return out;
    }

    /** Reports every field that no read asked for. Call once all fields were read. */
    public void finish() {
        node.fieldNames().forEachRemaining(name -> {
            if (!read.contains(name)) {
                problem(name, "unknown field '" + name + "'" + suggestion(name));
            }
        });
    }

    private String suggestion(String name) {
        String best = null;
        int bestDist = 3;
        for (String k : read) {
            int d = distance(name.toLowerCase(java.util.Locale.ROOT), k.toLowerCase(java.util.Locale.ROOT));
            if (d < bestDist) {
                bestDist = d;
                best = k;
            }
        }
        return best == null ? "" : " (did you mean '" + best + "'?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            prev = cur;
        }
        return prev[b.length()];
    }

    /** The fields as a plain map, for keeping kind-specific settings in {@link GateSpec#settings()}. */
    public Map<String, Object> asMap(Set<String> exclude) {
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (!exclude.contains(e.getKey())) {
                out.put(e.getKey(), plain(e.getValue()));
            }
        });
        return out;
    }

    static String describe(JsonNode v) {
        if (v == null || v.isNull()) return "nothing";
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        if (v.isTextual()) {
            String t = v.asText();
            return "'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'";
        }
        return v.asText();
    }
}
