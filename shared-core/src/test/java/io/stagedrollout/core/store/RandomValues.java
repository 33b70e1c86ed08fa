package io.stagedrollout.core.store;

import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random values for every record component reachable from a type, by its declared type, so that a component added
 * later is covered without changing the tests that use it (the streaming reader's and writer's). {@code
 * nullsInLists}: whether a JSON value declared as Object may hold a null inside a list.
 */
record RandomValues(Random random, boolean nullsInLists) {
    RandomValues(Random random) {
        this(random, true);
    }

    Object of(Type type) throws Exception {
        Class<?> c = type instanceof ParameterizedType pt ? (Class<?>) pt.getRawType() : (Class<?>) type;
        if (c == String.class) return word();
        if (c == RolloutKey.class) return new RolloutKey("service-" + random.nextInt(100), "production"); // validated names
        if (c == int.class || c == Integer.class) return random.nextInt(1000);
        if (c == long.class || c == Long.class) return random.nextLong() & Long.MAX_VALUE;
        if (c == double.class || c == Double.class) return random.nextInt(10_000) / 100.0;
        if (c == boolean.class || c == Boolean.class) return random.nextBoolean();
        if (c.isEnum()) return c.getEnumConstants()[random.nextInt(c.getEnumConstants().length)];
        if (c == Instant.class) return Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000), random.nextInt(1_000_000_000));
        if (c == Duration.class) return Duration.ofMillis(random.nextInt(10_000_000));
        if (c == LocalTime.class) return LocalTime.of(random.nextInt(24), random.nextInt(60));
        if (c == ZoneId.class) return ZoneId.of(random.nextBoolean() ? "UTC" : "Europe/Berlin");
        if (c == Object.class) return untyped(2, false);
        Type[] args = type instanceof ParameterizedType pt ? pt.getActualTypeArguments() : new Type[0];
        if (c == List.class) {
            List<Object> l = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) l.add(of(args[0]));
            return l;
        }
        if (c == Set.class) {
            Set<Object> s = new HashSet<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) s.add(of(args[0]));
            return s;
        }
        if (c == Map.class) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) m.put(word(), of(args[1]));
            return m;
        }
        if (c.isRecord()) {
            RecordComponent[] cs = c.getRecordComponents();
            Object[] values = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int i = 0; i < cs.length; i++) {
                values[i] = of(cs[i].getGenericType());
                types[i] = cs[i].getType();
            }
            Constructor<?> k = c.getDeclaredConstructor(types);
            return k.newInstance(values);
        }
        throw new AssertionError("a state holds a " + type + ": teach StreamingRecordReader, StreamingRecordWriter and this class about it");
    }

    /** A JSON value; null only inside a list (a map entry with a null value is not written at all). */
    private Object untyped(int depth, boolean nullable) {
        int kinds = depth > 0 ? 7 : 5;
        int kind = random.nextInt(nullable ? kinds + 1 : kinds);
        return switch (kind == kinds ? -1 : kind) {
            case -1 -> null;
            case 0 -> word();
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            case 3 -> random.nextDouble();
            case 4 -> random.nextBoolean();
            case 5 -> new ArrayList<>(java.util.Arrays.asList(untyped(depth - 1, nullsInLists), untyped(depth - 1, nullsInLists)));
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put(word(), untyped(depth - 1, false));
                yield m;
            }
        };
    }

    private String word() {
        String letters = "abcdefghij-é\"\\\n";
        StringBuilder b = new StringBuilder();
        for (int i = 1 + random.nextInt(8); i > 0; i--) b.append(letters.charAt(random.nextInt(letters.length())));
        return b.toString();
    }
}
