package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Map;

/**
 * Writes the store's records — a journal line, a state file, a lease — with Jackson's streaming generator, following
 * the records' components: the same bytes {@link StateJson}'s and {@link LeaseJson}'s data binding write, without
 * building the data binding's serializers first. A command that changes one rollout and exits (`rollout promote`)
 * would otherwise spend some 50 ms on that introspection for well under a millisecond of writing (BENCHMARKS.md,
 * "CLI start-up, third round").
 *
 * <p>It writes only values it knows the data binding writes the same way (strings, numbers, booleans, enums by name,
 * ISO instants and durations, lists, sets, maps with string keys and records of those) and gives up — returns null —
 * on anything else, such as a null inside a list. The caller then writes the general way. {@code
 * StreamingRecordWriterTest} checks, byte for byte, that both write the same random states, events and leases.
 */
final class StreamingRecordWriter {
    // a bare factory: building the data binding's ObjectMapper is what this class saves a short command from
    private static final JsonFactory JSON = new JsonFactory();
    private static final ClassValue<Method[]> ACCESSORS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            RecordComponent[] cs = type.getRecordComponents();
            Method[] accessors = new Method[cs.length];
            for (int i = 0; i < cs.length; i++) {
                accessors[i] = cs[i].getAccessor();
                accessors[i].setAccessible(true); // a record that is not public, as the data binding reads it
            }
            return accessors;
        }
    };

    private StreamingRecordWriter() {}

    /** What the caller writes into one JSON document. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** The document {@code body} writes, as UTF-8, or null when this writer does not take a value in it on. */
    static byte[] document(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        } catch (IOException | RuntimeException e) { // GiveUp, or an accessor that threw
            return null;
        }
        return out.toByteArray();
    }

    /** The record's fields, without braces, leaving out {@code skip} (a component's name, or null). */
    static void fields(JsonGenerator g, Record r, String skip) throws IOException {
        for (Method accessor : ACCESSORS.get(r.getClass())) {
            String name = accessor.getName();
            if (name.equals(skip)) continue;
            Object v = get(accessor, r);
            if (v == null) continue; // NON_NULL, as StateJson and LeaseJson are configured
            g.writeFieldName(name);
            value(g, v);
        }
    }

    /** One value, as the data binding writes it. */
    static void value(JsonGenerator g, Object v) throws IOException {
        if (v instanceof String s) g.writeString(s);
        else if (v instanceof Integer i) g.writeNumber(i);
        else if (v instanceof Long l) g.writeNumber(l);
        else if (v instanceof Double d) g.writeNumber(d);
        else if (v instanceof Boolean b) g.writeBoolean(b);
        else if (v instanceof Enum<?> e) g.writeString(e.name());
        else if (v instanceof Instant t) g.writeString(t.toString()); // ISO_INSTANT, as the time module writes it
        else if (v instanceof Duration d) g.writeString(d.toString());
        else if (v instanceof LocalTime t) g.writeString(t.format(DateTimeFormatter.ISO_LOCAL_TIME));
        else if (v instanceof ZoneId z) g.writeString(z.getId());
        else if (v instanceof Record r) {
            g.writeStartObject();
            fields(g, r, null);
            g.writeEndObject();
        } else if (v instanceof Collection<?> c && (v instanceof java.util.List || v instanceof java.util.Set)) {
            g.writeStartArray();
            for (Object e : c) {
                if (e == null) throw new GiveUp();
                value(g, e);
            }
            g.writeEndArray();
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new GiveUp();
                if (e.getValue() == null) continue; // NON_NULL content inclusion: the data binding leaves it out
                g.writeFieldName(k);
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else {
            throw new GiveUp();
        }
    }

    private static Object get(Method accessor, Record r) {
        try {
            return accessor.invoke(r);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new GiveUp();
        }
    }

    /** Not a value this writer takes on: the caller writes with the data binding. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }
}
