package io.stagedrollout.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader must read every state and lease exactly as the data binding does: they are made here by
 * filling every record component reachable from {@link RolloutState} or {@link Lease} with random values by its
 * declared type, so a component added later is covered without changing this test.
 */
class StreamingRecordReaderTest {

    @Property(tries = 300)
    void readsEveryStateAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        RolloutState written = (RolloutState) new RandomValues(new Random(seed)).of(RolloutState.class);
        byte[] json = StateJson.write(written).getBytes(StandardCharsets.UTF_8);

        StreamingRecordReader.Read read = StreamingRecordReader.read(json);

        assertThat(read).as("the streaming reader takes on %s", new String(json, StandardCharsets.UTF_8)).isNotNull();
        assertThat(read.state()).isEqualTo(StateJson.MAPPER.readValue(json, RolloutState.class)).isEqualTo(written);
    }

    @Property(tries = 100)
    void readsEveryLeaseAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        Lease written = (Lease) new RandomValues(new Random(seed)).of(Lease.class);
        byte[] json = LeaseJson.write(written).getBytes(StandardCharsets.UTF_8);

        Lease read = StreamingRecordReader.record(json, Lease.class);

        assertThat(read).isNotNull().isEqualTo(LeaseJson.MAPPER.readValue(json, Lease.class)).isEqualTo(written);
    }

    @Test
    void readsTheJournalEndAndRingNamesOfAStateFile() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(7)).of(RolloutState.class);
        byte[] file = StateFile.bytes(new StateFile.JournalEnd(1234, 5), StateJson.MAPPER.valueToTree(state));

        StreamingRecordReader.Read read = StreamingRecordReader.read(file);

        assertThat(read.end()).isEqualTo(new StateFile.JournalEnd(1234, 5));
        assertThat(read.ringNames()).isEqualTo(state.plan().rings().stream().map(r -> r.name()).toList());
        assertThat(read.state()).isEqualTo(state);
    }

    @Test
    void skipsTheFieldsOfANewerReleaseAsTheDataBindingDoes() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(11)).of(RolloutState.class);
        ObjectNode tree = StateJson.MAPPER.valueToTree(state);
        tree.putObject("addedLater").putArray("nested").add(1).addObject().put("deep", true);
        ((ObjectNode) tree.get("plan")).put("alsoNew", "x");

        StreamingRecordReader.Read read = StreamingRecordReader.read(StateJson.write(tree).getBytes(StandardCharsets.UTF_8));

        assertThat(read.state()).isEqualTo(state);
    }

    @Test
    void leavesToTheDataBindingWhatItDoesNotExpect() {
        String state = "{\"id\":\"r-1\",\"service\":\"s\",\"environment\":\"e\",\"status\":\"%s\",\"startedAt\":%s}";

        assertThat(StreamingRecordReader.read(state.formatted("RUNNING", "1700000000.5").getBytes(StandardCharsets.UTF_8)))
                .as("an instant written as a number").isNull();
        assertThat(StreamingRecordReader.read(state.formatted("SLEEPING", "\"2026-01-01T00:00:00Z\"").getBytes(StandardCharsets.UTF_8)))
                .as("a status no release writes").isNull();
        assertThat(StreamingRecordReader.read("{\"revision\":\"3\"}".getBytes(StandardCharsets.UTF_8)))
                .as("a number written as text").isNull();
        assertThat(StreamingRecordReader.read("{\"journal\":{\"bytes\":-1,\"lines\":0}}".getBytes(StandardCharsets.UTF_8)))
                .as("a negative journal end").isNull();
        assertThat(StreamingRecordReader.read("{\"id\":\"r-1\",".getBytes(StandardCharsets.UTF_8))).as("a torn file").isNull();
    }

    @Test
    void aStateFileThatReadsButFailsValidationIsExplainedByTheGeneralReader() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(3)).of(RolloutState.class);
        byte[] file = StateFile.bytes(new StateFile.JournalEnd(0, 0), StateJson.MAPPER.valueToTree(state));

        assertThat(StreamingRecordReader.read(file)).as("it reads").isNotNull();
        assertThatThrownBy(() -> StateFile.parse(file, java.nio.file.Path.of("state.json"), new RolloutKey("other-service", "production")))
                .isInstanceOf(StateFile.Invalid.class).hasMessageContaining("field service: is").hasMessageContaining("not other-service");
    }

    @Test
    void aFieldGivenTwiceIsReadAsTheDataBindingReadsIt() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(5)).of(RolloutState.class);
        String json = StateJson.write(state);
        byte[] twice = ("{\"hold\":\"first\",\"revision\":1," + json.substring(1)).getBytes(StandardCharsets.UTF_8);

        assertThat(StreamingRecordReader.read(twice).state()).isEqualTo(StateJson.MAPPER.readValue(twice, RolloutState.class));
    }

    /** Random values for declared types: records by their components, collections of one to three elements. */
    private record RandomValues(Random random) {
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
            throw new AssertionError("a state holds a " + type + ": teach StreamingRecordReader and this test to read it");
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
                case 5 -> new ArrayList<>(java.util.Arrays.asList(untyped(depth - 1, true), untyped(depth - 1, true)));
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
}
