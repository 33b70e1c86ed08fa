package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the store's records — a state file ({@link StateFile}: the journal's end, the ring names, the state), a
 * lease, a journal line's events — with Jackson's streaming parser, following the records' components. A command that starts, reads one
 * state and exits (`rollout status`) would otherwise spend most of its time in data binding's first use: about
 * 110 ms of introspection against well under 1 ms of parsing (BENCHMARKS.md, "CLI start-up, second round").
 *
 * <p>It reads only what {@link StateJson} writes (ISO instants and durations, enums by name, numbers as numbers) and
 * gives up — returns null — on anything else: an unexpected token, a value a record refuses, a type the state does
 * not use. The caller then reads the file the general way ({@link StateFile#parse}: trees and data binding;
 * {@link LeaseJson}), so an odd or damaged file gets exactly that result or error. Validation stays with the caller.
 * {@code StreamingRecordReaderTest} checks that both read the same states and leases alike.
 */
final class StreamingRecordReader {
    // a bare factory: the data binding's ObjectMapper is what this class saves a short command from building
    private static final JsonFactory JSON = new JsonFactory();
    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return RecordShape.of(type);
        }
    };

    private StreamingRecordReader() {}

    /** The record {@code type} in {@code json}, or null when this reader does not take it on. */
    static <T extends Record> T record(byte[] json, Class<T> type) {
        return record(json, 0, json.length, type);
    }

    /** The record {@code type} in {@code len} bytes of {@code json} from {@code off}, or null (as above). */
    static <T extends Record> T record(byte[] json, int off, int len, Class<T> type) {
        try (JsonParser p = JSON.createParser(json, off, len)) {
            p.nextToken();
            return type.cast(value(p, type));
        } catch (IOException | RuntimeException e) { // GiveUp, a parse error, a value a record refuses
            return null;
        }
    }

    /** A state file as read, not yet validated; {@code end} and {@code ringNames} are null when the file has none. */
    record Read(StateFile.JournalEnd end, List<?> ringNames, RolloutState state) {}

    /** The state file in {@code json} as read, or null when this reader does not take it on. */
    static Read read(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            RecordShape shape = SHAPES.get(RolloutState.class);
            Object[] args = defaults(shape);
            StateFile.JournalEnd end = null;
            List<?> names = null;
            boolean head = true; // the journal's end and the ring names count only before the state's fields
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (head && name.equals("journal")) {
                    end = journalEnd(p);
                } else if (head && name.equals("ringNames")) {
                    names = (List<?>) collection(p, new ArrayList<>(), String.class);
                } else {
                    head = false;
                    field(p, shape, args, name);
                }
            }
            return new Read(end, names, (RolloutState) construct(shape, args));
        } catch (IOException | RuntimeException e) { // GiveUp, a parse error, a value a record refuses
            return null;
        }
    }

    private static StateFile.JournalEnd journalEnd(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return giveUp();
        long bytes = -1;
        long lines = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) return giveUp();
            long v = (Long) value(p, long.class);
            if (name.equals("bytes")) bytes = v;
            else if (name.equals("lines")) lines = v;
        }
        return bytes < 0 || lines < 0 ? giveUp() : new StateFile.JournalEnd(bytes, lines);
    }

    /** The value at the parser's current token, as {@code type}. */
    private static Object value(JsonParser p, Type type) throws IOException {
        JsonToken t = p.currentToken();
        Class<?> c = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
        if (t == JsonToken.VALUE_NULL) return c.isPrimitive() ? zero(c) : null;
        if (c == String.class) return text(p);
        if (c == int.class || c == Integer.class) return p.getNumberType() == JsonParser.NumberType.INT && t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : giveUp();
        if (c == long.class || c == Long.class) return t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER ? p.getLongValue() : giveUp();
        if (c == double.class || c == Double.class) return t.isNumeric() ? p.getDoubleValue() : giveUp();
        if (c == boolean.class || c == Boolean.class) return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : giveUp();
        if (c.isEnum()) return enumValue(c, text(p));
        if (c == Instant.class) return parse(() -> Instant.parse(text(p)));
        if (c == Duration.class) return parse(() -> Duration.parse(text(p)));
        if (c == LocalTime.class) return parse(() -> LocalTime.parse(text(p)));
        if (c == ZoneId.class) return parse(() -> ZoneId.of(text(p)));
        if (c == Object.class) return untyped(p);
        if (c == List.class || c == Set.class) return collection(p, c == List.class ? new ArrayList<>() : new HashSet<>(), argument(type, 0));
        if (c == Map.class) return map(p, argument(type, 0), argument(type, 1));
        if (c.isRecord()) return record(p, SHAPES.get(c));
        return giveUp();
    }

    private static Object record(JsonParser p, RecordShape shape) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) return giveUp();
        Object[] args = defaults(shape);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            field(p, shape, args, name);
        }
        return construct(shape, args);
    }

    private static Object[] defaults(RecordShape shape) {
        Object[] args = new Object[shape.types.length];
        for (int i = 0; i < args.length; i++) {
            if (shape.raw[i].isPrimitive()) args[i] = zero(shape.raw[i]);
        }
        return args;
    }

    private static void field(JsonParser p, RecordShape shape, Object[] args, String name) throws IOException {
        Integer i = shape.index.get(name);
        if (i == null) p.skipChildren(); // a field of a newer release: ignored, as the data binding does
        else args[i] = value(p, shape.types[i]);
    }

    private static Object construct(RecordShape shape, Object[] args) {
        try {
            return shape.constructor.newInstance(args);
        } catch (ReflectiveOperationException e) {
            return giveUp(); // the record refuses the values: the data binding reports why
        }
    }

    private static Object collection(JsonParser p, java.util.Collection<Object> into, Type element) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) return giveUp();
        while (p.nextToken() != JsonToken.END_ARRAY) into.add(value(p, element));
        return into;
    }

    private static Object map(JsonParser p, Type key, Type value) throws IOException {
        if (key != String.class || p.currentToken() != JsonToken.START_OBJECT) return giveUp();
        Map<String, Object> into = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            into.put(name, value(p, value));
        }
        return into;
    }

    /** What the data binding makes of a value declared as Object: maps, lists, strings, numbers, booleans. */
    private static Object untyped(JsonParser p) throws IOException {
        return switch (p.currentToken()) {
            case START_OBJECT -> map(p, String.class, Object.class);
            case START_ARRAY -> collection(p, new ArrayList<>(), Object.class);
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getNumberValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> giveUp();
        };
    }

    private static String text(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) giveUp();
        return p.getText();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object enumValue(Class<?> c, String name) {
        try {
            return Enum.valueOf((Class) c, name);
        } catch (IllegalArgumentException e) {
            return giveUp();
        }
    }

    private interface Parse {
        Object get() throws IOException;
    }

    private static Object parse(Parse parse) throws IOException {
        try {
            return parse.get();
        } catch (DateTimeException e) {
            return giveUp();
        }
    }

    private static Type argument(Type type, int i) {
        return type instanceof ParameterizedType pt ? pt.getActualTypeArguments()[i] : giveUp();
    }

    private static Object zero(Class<?> c) {
        if (c == int.class) return 0;
        if (c == long.class) return 0L;
        if (c == double.class) return 0.0;
        if (c == boolean.class) return false;
        return giveUp();
    }

    private static <T> T giveUp() {
        throw new GiveUp();
    }

    /** A record's canonical constructor and its components by name. */
    private record RecordShape(Constructor<?> constructor, Type[] types, Class<?>[] raw, Map<String, Integer> index) {
        static RecordShape of(Class<?> c) {
            RecordComponent[] cs = c.getRecordComponents();
            Type[] types = new Type[cs.length];
            Class<?>[] raw = new Class<?>[cs.length];
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < cs.length; i++) {
                types[i] = cs[i].getGenericType();
                raw[i] = cs[i].getType();
                index.put(cs[i].getName(), i);
            }
            try {
                return new RecordShape(c.getDeclaredConstructor(raw), types, raw, index);
            } catch (NoSuchMethodException e) {
                throw new GiveUp();
            }
        }
    }

    /** Not a state this reader takes on: the caller binds it with the data binding. */
    private static final class GiveUp extends RuntimeException {
        GiveUp() {
            super(null, null, false, false);
        }
    }
}
