package io.stagedrollout.core.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property-based: whatever a plan file holds, the reader answers with a plan or with problems — never a crash, never
 * a problem without a message — and a broken field of a valid plan is reported under that field.
 */
class PlanPropertiesTest {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> FIELDS = List.of("service", "environment", "strategy", "rings", "gates", "actions", "name",
            "exposure", "bake", "approval", "kind", "url", "command", "interval", "count", "failureLimit", "max", "min",
            "steps", "targets", "deploy", "onFailure", "onInconclusive", "endpoint", "errors", "total", "timeout");

    static final String VALID = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate]}
              - {name: everyone, exposure: 100%, bake: 30m, gates: [error-rate, smoke], approval: manual}
            gates:
              error-rate: {kind: metrics, endpoint: 'http://127.0.0.1:8080/metrics', errors: errors_total, total: requests_total, max: 0.01, interval: 30s}
              smoke: {kind: http, url: 'http://127.0.0.1:8080/healthz', timeout: 2s}
            actions:
              deploy: {kind: command, command: [./deploy.sh]}
              revert: {kind: command, command: [./deploy.sh, --revert]}
            """;

    @Property(tries = 400)
    void anyTreeIsReadAsAPlanOrAsProblemsNeverACrash(@ForAll("trees") Object tree) {
        String yaml = render(tree);
        Assume.that(yaml != null);
        readCompletely(yaml);
        readCompletely(renderJson(tree));
    }

    @Property(tries = 300)
    void anyTextIsReadAsAPlanOrAsProblemsNeverACrash(@ForAll("texts") String text) {
        readCompletely(text);
    }

    @Property(tries = 400)
    @SuppressWarnings("unchecked")
    void aValidPlanWithOneValueReplacedIsStillValidOrRefusedUnderThatField(
            @ForAll("paths") List<Object> path, @ForAll("values") Object value) throws Exception {
        Map<String, Object> plan = YAML.readValue(VALID, LinkedHashMap.class);
        Object parent = plan;
        for (int i = 0; i < path.size() - 1; i++) {
            parent = step(parent, path.get(i));
            Assume.that(parent != null);
        }
        Object last = path.get(path.size() - 1);
        if (parent instanceof Map<?, ?> m) ((Map<String, Object>) m).put((String) last, value);
        else if (parent instanceof List<?> l && last instanceof Integer i && i < l.size()) ((List<Object>) l).set(i, value);
        else Assume.that(false);
        String yaml = render(plan);
        Assume.that(yaml != null);
        List<Problem> problems = readCompletely(yaml);
        String top = (String) path.get(0);
        if (!problems.isEmpty()) {
            // the problem may be reported where the broken value is used (a renamed gate, a ring referring to it),
            // but always within the same top-level section or a section that refers to it
            assertThat(problems).as("problems for %s = %s", path, value).anySatisfy(p -> assertThat(p.path().isEmpty()
                    || p.path().startsWith(top) || p.path().startsWith("rings")).isTrue());
        }
    }

    private static Object step(Object node, Object key) {
        if (node instanceof Map<?, ?> m) return m.get(key);
        if (node instanceof List<?> l && key instanceof Integer i && i < l.size()) return l.get(i);
        return null;
    }

    /** Reads the text; returns the problems (empty for a valid plan). Anything other than a plan or problems fails. */
    private static List<Problem> readCompletely(String text) {
        try {
            RolloutPlan plan = PlanReader.parse(text);
            assertThat(plan.rings()).isNotEmpty();
            return List.of();
        } catch (InvalidPlanException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> {
                assertThat(p.message()).isNotBlank().hasSizeLessThan(1000);
                assertThat(p.line()).isNotNegative();
            });
            return e.problems();
        }
    }

    private static String render(Object tree) {
        try {
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException | RuntimeException e) {
            return null; // e.g. a lone surrogate cannot be written as YAML
        }
    }

    private static String renderJson(Object tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    @Provide
    Arbitrary<Object> values() {
        Arbitrary<Object> strings = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.of("", "5%", "-5%", "150%", "1e309", "NaN", ".nan", ".inf", "0s", "-1m", "30d", "31d", "10 fortnights",
                        "manual", "auto", "MANUAL", "~", "null", "yes", "no", "0x1F", "http://", "file:///etc/passwd",
                        "../../etc/passwd", "{{nope}}", "\u202eevil", "\u0000", "a\u200bb", "*alias", "&anchor", "!!binary x"))
                .map(s -> (Object) s);
        Arbitrary<Object> numbers = Arbitraries.oneOf(
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308).map(d -> (Object) d),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30)).map(b -> (Object) b),
                Arbitraries.bigDecimals().map(b -> (Object) b.add(BigDecimal.ZERO)));
        Arbitrary<Object> others = Arbitraries.of(true, false).map(b -> (Object) b);
        Arbitrary<Object> nulls = Arbitraries.just(null);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, strings), net.jqwik.api.Tuple.of(3, numbers), net.jqwik.api.Tuple.of(1, others),
                net.jqwik.api.Tuple.of(1, nulls), net.jqwik.api.Tuple.of(2, Arbitraries.lazy(() -> trees(2))));
    }

    @Provide
    Arbitrary<Object> trees() {
        return trees(4);
    }

    private Arbitrary<Object> trees(int depth) {
        Arbitrary<String> keys = Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.strings().all().ofMaxLength(12));
        Arbitrary<Object> leaf = Arbitraries.lazy(this::leaves);
        if (depth == 0) return leaf;
        Arbitrary<Object> child = Arbitraries.lazy(() -> trees(depth - 1));
        Arbitrary<Object> maps = Arbitraries.maps(keys, child).ofMaxSize(6).map(m -> (Object) new LinkedHashMap<>(m));
        Arbitrary<Object> lists = child.list().ofMaxSize(5).map(l -> (Object) new ArrayList<>(l));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(2, leaf), net.jqwik.api.Tuple.of(3, maps), net.jqwik.api.Tuple.of(2, lists));
    }

    private Arbitrary<Object> leaves() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i), Arbitraries.doubles().map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b), Arbitraries.just(null));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> mutatedValid = Combinators.combine(Arbitraries.integers().between(0, VALID.length() - 1),
                Arbitraries.integers().between(0, 20), Arbitraries.strings().all().ofMaxLength(8))
                .as((at, cut, insert) -> VALID.substring(0, at) + insert + VALID.substring(Math.min(VALID.length(), at + cut)));
        return Arbitraries.oneOf(mutatedValid, Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("{}[]:-,&*!|>'\"#%@` \n\t").ofMaxLength(100));
    }

    @Provide
    Arbitrary<List<Object>> paths() {
        return Arbitraries.of(
                List.of("service"), List.of("environment"), List.of("strategy"), List.of("rings"), List.of("gates"), List.of("actions"),
                List.of("rings", 0), List.of("rings", 1, "name"), List.of("rings", 0, "exposure"), List.of("rings", 1, "exposure"),
                List.of("rings", 0, "bake"), List.of("rings", 1, "approval"), List.of("rings", 0, "gates"), List.of("rings", 1, "gates", 1),
                List.of("rings", 0, "onFailure"), List.of("gates", "error-rate"), List.of("gates", "error-rate", "kind"),
                List.of("gates", "error-rate", "max"), List.of("gates", "error-rate", "interval"), List.of("gates", "error-rate", "endpoint"),
                List.of("gates", "smoke", "url"), List.of("gates", "smoke", "timeout"), List.of("gates", "smoke", "failureLimit"),
                List.of("actions", "deploy"), List.of("actions", "deploy", "command"), List.of("actions", "revert", "command", 0),
                List.of("actions", "deploy", "kind"), List.of("rings", 0, "unknownField"), List.of("extra"));
    }
}
