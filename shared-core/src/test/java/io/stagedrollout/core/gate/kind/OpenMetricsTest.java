package io.stagedrollout.core.gate.kind;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenMetricsTest {
    private static final OpenMetrics.Selector CANARY_ERRORS = OpenMetrics.selector("http_requests_total{version=\"canary\",code=~\"5..\"}");

    @Test
    void aLongLabelOnAnUnrelatedMetricIsSkippedWithoutDeepRecursion() {
        String body = "build_info{commit=\"" + "a".repeat(1500) + "\"} 1\n"
                + "http_requests_total{version=\"canary\",code=\"500\"} 7\n";
        assertThat(OpenMetrics.sum(body, CANARY_ERRORS)).hasValue(7);
    }

    @Test
    void aVeryLongLabelValueOnASelectedMetricIsReadWithoutDeepRecursion() {
        String body = "http_requests_total{version=\"canary\",code=\"500\",path=\"/" + "x\\\"".repeat(20_000) + "\"} 3\n";
        assertThat(OpenMetrics.sum(body, CANARY_ERRORS)).hasValue(3);
    }

    @Test
    void aSelectedLineLongerThanTheLimitMakesTheExpositionUnusable() {
        String body = "http_requests_total{version=\"canary\",code=\"500\",path=\"" + "x".repeat(OpenMetrics.MAX_LINE) + "\"} 3\n";
        assertThatThrownBy(() -> OpenMetrics.sum(body, CANARY_ERRORS)).isInstanceOf(OpenMetrics.Malformed.class)
                .hasMessageContaining("line 1 (http_requests_total) is longer than 65536 characters");
    }

    @Test
    void anUnrelatedLineLongerThanTheLimitIsSkipped() {
        String body = "junk_total{x=\"" + "x".repeat(OpenMetrics.MAX_LINE * 2) + "\"} 3\nhttp_requests_total{version=\"canary\",code=\"503\"} 2\n";
        assertThat(OpenMetrics.sum(body, CANARY_ERRORS)).hasValue(2);
    }

    @Test
    void aMalformedLineOfASelectedMetricIsNotSilentlySkipped() {
        // skipping it could hide errors: the exposition is refused, and the gate measures an ERROR
        for (String line : new String[] {"http_requests_total{version=\"canary\",code=\"500\" 9", "http_requests_total{version=\"canary\",code=\"500}",
                "http_requests_total{version=\"canary\",code=\"500\"}", "http_requests_total{version=canary} 9"}) {
            assertThatThrownBy(() -> OpenMetrics.sum(line + "\n", CANARY_ERRORS)).as(line).isInstanceOf(OpenMetrics.Malformed.class)
                    .hasMessageStartingWith("line 1 (http_requests_total)");
        }
    }

    @Test
    void tooManyLabelsOrTooManySeriesAreRefused() {
        StringBuilder labels = new StringBuilder("http_requests_total{version=\"canary\",code=\"500\"");
        for (int i = 0; i < OpenMetrics.MAX_LABELS; i++) labels.append(",l").append(i).append("=\"v\"");
        String wide = labels + "} 1\n";
        assertThatThrownBy(() -> OpenMetrics.sum(wide, CANARY_ERRORS)).hasMessageContaining("more than 128 labels");

        StringBuilder many = new StringBuilder();
        for (int i = 0; i <= OpenMetrics.MAX_SERIES; i++) many.append("http_requests_total{version=\"canary\",code=\"500\",pod=\"p").append(i).append("\"} 1\n");
        assertThatThrownBy(() -> OpenMetrics.sum(many.toString(), CANARY_ERRORS)).hasMessageContaining("more than 10000 series match");
    }

    @Test
    void seriesAreKeyedByTheirLabelsSoResetsCanBeTakenPerSeries() {
        String body = "# TYPE http_requests counter\nhttp_requests_total{code=\"500\",version=\"canary\",pod=\"a\"} 4\n"
                + "http_requests_total{pod=\"b\", version=\"canary\", code=\"502\"} 1 1700000000000\n"
                + "http_requests_created{pod=\"b\",version=\"canary\",code=\"502\"} 1700000000\n"
                + "http_requests_total{pod=\"b\",version=\"stable\",code=\"500\"} 99\n# EOF\n";
        assertThat(OpenMetrics.series(body, CANARY_ERRORS)).isEqualTo(Map.of(
                "http_requests_total{code=\"500\",pod=\"a\",version=\"canary\"}", 4.0,
                "http_requests_total{code=\"502\",pod=\"b\",version=\"canary\"}", 1.0));
    }

    @Test
    void selectorsAreParsedWithoutDeepRecursionAndWithALimit() {
        OpenMetrics.Selector s = OpenMetrics.selector("m{a=\"" + "y".repeat(3000) + "\", b!=\"x\",c=~\"1|2\",}");
        assertThat(s.equal()).containsKey("a");
        assertThat(s.notEqual()).containsEntry("b", "x");
        assertThatThrownBy(() -> OpenMetrics.selector("m{a=\"" + "y".repeat(5000) + "\"}")).hasMessageContaining("longer than 4096");
        assertThatThrownBy(() -> OpenMetrics.selector("m{a=\"unterminated}")).hasMessageContaining("malformed labels");
        assertThatThrownBy(() -> OpenMetrics.selector("m{a=~\"(\"}")).hasMessageContaining("bad regular expression");
    }
}
