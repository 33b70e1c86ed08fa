package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir Path dir;

    static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    @Test
    void pageIsSelfContained() {
        Rollouts r = Rollouts.badVersion();
        String html = HtmlReport.render(r.state, r.journal);
        assertThat(html).contains("Content-Security-Policy", "default-src 'none'");
        assertThat(html).doesNotContainPattern("(?i)<script|<link|\\ssrc=|\\shref=|@import|url\\(");
        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
    }

    @Test
    void exposureStepsUpAndBackToZeroOnRollback() {
        Rollouts r = Rollouts.badVersion();
        String svg = HtmlReport.exposureChart(RolloutTimeline.of(r.state, r.journal));
        // started at 0, canary 5% deployed, rolled back to 0: the path ends on the 0% line
        String d = svg.replaceAll("(?s).*class=\"exposure-line\" d=\"([^\"]*)\".*", "$1");
        String zeroY = String.format(java.util.Locale.ROOT, "%.1f", (double) (HtmlReport.H - HtmlReport.BOTTOM));
        assertThat(d).startsWith("M" + HtmlReport.LEFT + ".0," + zeroY).endsWith("," + zeroY);
        assertThat(svg).contains("class=\"rollback-marker\"", "rolled back 0%", "canary 5%");
    }

    @Test
    void renderedInChromiumTheChartsAreThereAndTheConsoleIsQuiet() throws Exception {
        Path chromium = HeadlessChromium.find();
        assumeTrue(chromium != null, "SKIPPED: chromium is not installed (apt-get install -y chromium); .ci/run installs it");
        Rollouts r = Rollouts.badVersion();
        Path file = dir.resolve("report.html");
        Files.writeString(file, HtmlReport.render(r.state, r.journal));
        HeadlessChromium.Page page = HeadlessChromium.load(chromium, file, dir);
        String dom = page.dom();
        assertThat(page.console()).as("console messages").isEmpty();
        assertThat(count(dom, "<svg id=\"exposure-chart\"")).isEqualTo(1);
        assertThat(count(dom, "class=\"exposure-line\" d=\"M")).isEqualTo(1);
        assertThat(count(dom, "class=\"rollback-marker\"")).isEqualTo(1);
        // a chart per measured gate of the canary: error-rate, latency-judge; new-check has no values but is charted too
        assertThat(count(dom, "class=\"chart gate-chart\"")).isEqualTo(3);
        assertThat(dom).contains("data-gate=\"error-rate\"", "data-ring=\"canary\"");
        assertThat(count(dom, "<circle class=\"measurement outcome-fail\"")).isEqualTo(2);
        assertThat(count(dom, "<circle class=\"measurement outcome-pass\"")).isEqualTo(2); // error-rate 0.004, judge score 100
        assertThat(count(dom, "class=\"measurement outcome-fail no-value\"")).isEqualTo(1); // the dry-run http check
        assertThat(dom).contains("class=\"threshold threshold-fail\"", "max 0.01", "max - marginal 0.008", "pass 95", "marginal 75");
        assertThat(dom).contains("<title>2026-11-26T04:00:40Z FAIL 0.034: error ratio 0.034 &gt; max 0.01 (34 of 1000 requests)</title>");
    }

    @Test
    void chromiumCheckNoticesConsoleErrors() throws Exception {
        Path chromium = HeadlessChromium.find();
        assumeTrue(chromium != null, "SKIPPED: chromium is not installed (apt-get install -y chromium); .ci/run installs it");
        // the same page with an inline script: the Content-Security-Policy blocks it and the console says so
        Rollouts r = Rollouts.goodVersion();
        Path file = dir.resolve("bad.html");
        Files.writeString(file, HtmlReport.render(r.state, r.journal).replace("</body>", "<script>console.error('x')</script></body>"));
        assertThat(HeadlessChromium.load(chromium, file, dir).console()).isNotEmpty();
    }

    @Test
    void goodRolloutChartsEveryRing() throws Exception {
        Rollouts r = Rollouts.goodVersion();
        String html = HtmlReport.render(r.state, r.journal);
        assertThat(count(html, "class=\"chart gate-chart\"")).isEqualTo(5);
        assertThat(count(html, "class=\"ring-marker\"")).isEqualTo(4); // three deploys and the actual 24% of ring 2
        assertThat(html).contains("early-adopters (actual) 24%", "status-completed");
        assertThat(count(html, "class=\"measurement outcome-error no-value\"")).isEqualTo(1);
    }
}
