package io.stagedrollout.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * A gate's or action's stored settings are read back through the same {@link SpecReader} that validated the plan.
 * The tree it reads is built directly, without an ObjectMapper, and must be the one the data binding would build:
 * same node types (an int stays an int node, a long a long node), same order, nulls kept. And the settings `start`
 * keeps from a plan's tree are the plain values the data binding's {@code convertValue} would make.
 */
class StoredSettingsTreeTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Property(tries = 300)
    void theTreeOfStoredSettingsIsTheDataBindingsTree(@ForAll long seed) {
        Random random = new Random(seed);
        Map<String, Object> settings = map(random, 3);

        assertThat(SpecReader.tree(settings)).isEqualTo(MAPPER.valueToTree(settings));
    }

    @Test
    void aValueOfAnotherKindIsLeftToTheDataBinding() {
        Map<String, Object> settings = Map.of("limit", new java.math.BigDecimal("1.50"), "at", List.of(3.5f));

        assertThat(SpecReader.tree(settings)).isEqualTo(MAPPER.valueToTree(settings));
    }

    @Property(tries = 300)
    void settingsAreKeptAsTheDataBindingConvertsThem(@ForAll long seed) {
        JsonNode plan = MAPPER.valueToTree(map(new Random(seed), 3));

        assertThat(SpecReader.plain(plan)).isEqualTo(MAPPER.convertValue(plan, Object.class));
    }

    @Test
    void everyKindOfNumberIsKeptAsTheDataBindingConvertsIt() {
        var f = JsonNodeFactory.instance;
        var plan = f.objectNode();
        plan.set("short", f.numberNode((short) 7));
        plan.set("int", f.numberNode(7));
        plan.set("long", f.numberNode(7L));
        plan.set("big", f.numberNode(new java.math.BigInteger("123456789012345678901234567890")));
        plan.set("float", f.numberNode(0.5f));
        plan.set("double", f.numberNode(0.25));
        plan.set("decimal", f.numberNode(new java.math.BigDecimal("1.50")));
        plan.set("missing", com.fasterxml.jackson.databind.node.MissingNode.getInstance());
        plan.set("binary", f.binaryNode(new byte[] {1, 2, 3}));

        Object plain = SpecReader.plain(plan);

        assertThat(plain).usingRecursiveComparison().withStrictTypeChecking().isEqualTo(MAPPER.convertValue(plan, Object.class));
    }

    @Test
    void readsAStoredCommandAsTheValidationDid() {
        List<Problem> problems = new ArrayList<>();
        SpecReader r = SpecReader.of(Map.of("command", List.of("deploy.sh", "--ring", "canary"), "timeout", "10s"), "deploy", problems);

        assertThat(r.stringList("command")).containsExactly("deploy.sh", "--ring", "canary");
        assertThat(problems).isEmpty();
    }

    private static Map<String, Object> map(Random random, int depth) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i >= 0; i--) m.put("k" + random.nextInt(1000), value(random, depth - 1));
        return m;
    }

    private static Object value(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 9 : 7)) {
            case 0 -> "s" + random.nextInt();
            case 1 -> random.nextInt();
            case 2 -> random.nextLong();
            case 3 -> random.nextDouble();
            case 4 -> random.nextBoolean();
            case 5 -> null;
            case 6 -> "";
            case 7 -> new ArrayList<>(Arrays.asList(value(random, depth - 1), value(random, depth - 1)));
            default -> map(random, depth - 1);
        };
    }
}
