package io.stagedrollout.core.gate.kind;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PromQlTemplateTest {
    private static Map<String, String> version(String v) {
        return Map.of("ROLLOUT_VERSION", v, "ROLLOUT_SERVICE", "checkout", "ROLLOUT_RING", "canary",
                "ROLLOUT_ENVIRONMENT", "production");
    }

    @Test
    void bareLabelMatcherValueBecomesAQuotedLiteral() {
        String q = PromQlTemplate.parse("up{service={{service}}, version={{version}}}").render(version("1.4.2"));
        assertThat(q).isEqualTo("up{service=\"checkout\", version=\"1.4.2\"}");
    }

    @Test
    void valueInsideDoubleQuotesIsEscapedForThem() {
        String q = PromQlTemplate.parse("up{version=\"{{version}}\"}").render(version("1.0\"} or vector(1) #"));
        assertThat(q).isEqualTo("up{version=\"1.0\\\"} or vector(1) #\"}");
    }

    @Test
    void valueInsideSingleQuotesIsEscapedForThem() {
        String q = PromQlTemplate.parse("up{version='{{version}}'}").render(version("it's \"x\""));
        assertThat(q).isEqualTo("up{version='it\\'s \"x\"'}");
    }

    @Test
    void bareValueCannotCloseTheMatcher() {
        String q = PromQlTemplate.parse("up{version={{version}}}").render(version("x\"} or vector(1) or up{a=\"b"));
        assertThat(q).isEqualTo("up{version=\"x\\\"} or vector(1) or up{a=\\\"b\"}");
    }

    @Test
    void backslashesAndControlCharactersAreEscaped() {
        String q = PromQlTemplate.parse("up{v=\"{{version}}\"}").render(version("a\\b\nc\u0001"));
        assertThat(q).isEqualTo("up{v=\"a\\\\b\\nc\\u0001\"}");
    }

    @Test
    void valueInAcommentCannotEndIt() {
        String q = PromQlTemplate.parse("up # for {{version}}\n+ 0").render(version("x\nvector(1)"));
        assertThat(q).isEqualTo("up # for \"x\\nvector(1)\"\n+ 0");
    }

    @Test
    void escapedQuoteInTheTemplateDoesNotEndTheString() {
        String q = PromQlTemplate.parse("up{a=\"q\\\"{{ring}}\"}").render(version("1"));
        assertThat(q).isEqualTo("up{a=\"q\\\"canary\"}");
    }

    @Test
    void placeholderInRawStringIsDetected() {
        assertThat(PromQlTemplate.parse("up{a=`{{version}}`}").hasPlaceholderInRawString()).isTrue();
        assertThat(PromQlTemplate.parse("up{a=`x`, b={{version}}}").hasPlaceholderInRawString()).isFalse();
    }

    @Test
    void queryWithoutPlaceholdersIsUnchanged() {
        String text = "sum(rate(http_requests_total{code=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m])) # ratio";
        assertThat(PromQlTemplate.parse(text).render(version("1"))).isEqualTo(text);
    }

    @Test
    void percentAndRingIndexOutsideQuotesAreNumbers() {
        Map<String, String> v = Map.of("ROLLOUT_PERCENT", "12.5", "ROLLOUT_RING_INDEX", "1", "ROLLOUT_VERSION", "3");
        String q = PromQlTemplate.parse("x{v={{version}}} / ({{ percent }} / 100) + {{ringIndex}} + y{p=\"{{percent}}\"}").render(v);
        assertThat(q).isEqualTo("x{v=\"3\"} / (12.5 / 100) + 1 + y{p=\"12.5\"}");
    }

    @Test
    void numericPlaceholderWithoutANumberBecomesNaN() {
        String q = PromQlTemplate.parse("x / {{percent}}").render(Map.of("ROLLOUT_PERCENT", "5) or vector(1"));
        assertThat(q).isEqualTo("x / NaN");
    }
}
