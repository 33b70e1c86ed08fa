package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What is wrong with stored JSON, in words a person can act on: the field's path and the problem, never a Java
 * class or exception name (Jackson's own messages name both).
 */
final class JsonProblems {
    private JsonProblems() {}

    /** "field gates[0].measurements: is not a number", or "not valid JSON (line 1, column 17)". */
    static String describe(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.io.JsonEOFException
                    || (t instanceof JsonProcessingException j && String.valueOf(j.getOriginalMessage()).contains("end-of-input"))) {
                return "not valid JSON: it ends too early (cut short)";
            }
        }
        if (e instanceof DatabindException d && d instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            String field = path(m);
            String what;
            if (e instanceof InvalidFormatException f) {
                Class<?> t = f.getTargetType();
                what = "'" + value(f.getValue()) + "' is not "
                        + (t != null && t.isEnum() ? "one of " + Arrays.stream(t.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                        : "a valid " + kind(t));
            } else if (e instanceof MismatchedInputException mi) {
                Class<?> t = mi.getTargetType();
                what = t != null && t.isEnum() ? "is not one of " + Arrays.stream(t.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "))
                        : "is not " + article(kind(t));
            } else {
                what = "is not valid (a missing, null or out-of-range value)";
            }
            return "field " + field + ": " + what;
        }
        if (e instanceof DatabindException) return "(top level): is not valid (a missing, null or out-of-range value)";
        JsonLocation at = e.getLocation();
        return at == null ? "not valid JSON" : "not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    /**
     * Where a tree holds a null in a list ("gates[0]"), the usual reason a record refuses to be built; null when none.
     * Records copy their lists and refuse nulls, and Jackson then reports no field.
     */
    static String nullInList(com.fasterxml.jackson.databind.JsonNode n, String at) {
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String here = at + "[" + i + "]";
                if (n.get(i).isNull()) return here;
                String deeper = nullInList(n.get(i), here);
                if (deeper != null) return deeper;
            }
        } else if (n.isObject()) {
            for (var it = n.fields(); it.hasNext(); ) {
                var f = it.next();
                String deeper = nullInList(f.getValue(), at.isEmpty() ? f.getKey() : at + "." + f.getKey());
                if (deeper != null) return deeper;
            }
        }
        return null;
    }

    static String path(JsonMappingException m) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
            if (r.getFieldName() != null) {
                if (sb.length() > 0) sb.append('.');
                sb.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.length() == 0 ? "(top level)" : sb.toString();
    }

    private static String kind(Class<?> t) {
        if (t == null) return "value";
        if (t == String.class) return "text";
        if (t.isEnum()) return "name";
        if (Number.class.isAssignableFrom(t) || (t.isPrimitive() && t != boolean.class)) return "number";
        if (t == boolean.class || t == Boolean.class) return "boolean";
        if (java.util.Collection.class.isAssignableFrom(t) || t.isArray()) return "list";
        if (java.time.temporal.Temporal.class.isAssignableFrom(t)) return "time (ISO-8601)";
        if (t == java.time.Duration.class) return "duration (ISO-8601)";
        return "object";
    }

    private static String article(String kind) {
        return (kind.startsWith("o") || kind.startsWith("a") ? "an " : "a ") + kind;
    }

    static String value(Object v) {
        String s = String.valueOf(v);
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(60).forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return s.codePointCount(0, s.length()) > 60 ? sb + "…" : sb.toString();
    }
}
