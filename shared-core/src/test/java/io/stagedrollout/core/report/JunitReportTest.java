package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitReportTest {
    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void badRolloutMatchesTheGoldenFile() throws Exception {
        Rollouts r = Rollouts.badVersion();
        Golden.check("bad-rollout.junit.xml", JunitReport.render(r.state, r.journal));
    }

    @Test
    void goodRolloutMatchesTheGoldenFile() throws Exception {
        Rollouts r = Rollouts.goodVersion();
        Golden.check("good-rollout.junit.xml", JunitReport.render(r.state, r.journal));
    }

    @Test
    void failedGateIsAFailureAndDryRunAndUnreachedAreSkipped() throws Exception {
        Rollouts r = Rollouts.badVersion();
        Document d = parse(JunitReport.render(r.state, r.journal));
        Element root = d.getDocumentElement();
        assertThat(root.getTagName()).isEqualTo("testsuites");
        NodeList suites = root.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(3);
        Element canary = (Element) suites.item(0);
        assertThat(canary.getAttribute("failures")).isEqualTo("1");
        assertThat(canary.getAttribute("skipped")).isEqualTo("1"); // the dry-run gate
        Element errorRate = (Element) canary.getElementsByTagName("testcase").item(1);
        assertThat(errorRate.getAttribute("name")).isEqualTo("error-rate");
        Element failure = (Element) errorRate.getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).contains("error-rate failed 2 of 3 measurements, failureLimit 1");
        assertThat(errorRate.getElementsByTagName("system-out").item(0).getTextContent())
                .contains("0.034 > max 0.01", "0.041 > max 0.01");
        Element pending = (Element) suites.item(1);
        assertThat(pending.getAttribute("skipped")).isEqualTo("1");
        assertThat(root.getAttribute("failures")).isEqualTo("1");
    }

    @Test
    void inconclusiveGateIsAnError() throws Exception {
        Rollouts r = new Rollouts();
        r.apply(new io.stagedrollout.core.machine.Command.Start(Rollouts.plan(), "3.0.0", "2.1.0", "r-inc", Rollouts.CI), 0)
                .apply(new io.stagedrollout.core.machine.Command.BeginRing(0, Rollouts.CI), 1)
                .apply(new io.stagedrollout.core.machine.Command.RingDeployed(0, true, "ok", null, Rollouts.CI), 10)
                .measure(0, "latency-judge", io.stagedrollout.core.gate.Outcome.INCONCLUSIVE, null,
                        "cannot pass: 1 metric(s) without enough data", 10);
        Document d = parse(JunitReport.render(r.state, r.journal));
        // the early verdict also ends error-rate, unmeasured, as INCONCLUSIVE: missing data is not a pass
        NodeList cases = d.getElementsByTagName("testcase");
        Element judge = (Element) cases.item(2);
        assertThat(judge.getAttribute("name")).isEqualTo("latency-judge");
        Element error = (Element) judge.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("INCONCLUSIVE");
        assertThat(error.getAttribute("message")).contains("latency-judge was inconclusive in 1 of 1 measurements");
        assertThat(judge.getElementsByTagName("failure").getLength()).isZero();
        assertThat(d.getDocumentElement().getAttribute("errors")).isEqualTo("2");
        assertThat(d.getDocumentElement().getAttribute("failures")).isEqualTo("0");
    }

    @Test
    void textIsEscapedForXml() throws Exception {
        // control characters are shown as visible escapes (Printable), never dropped or passed raw
        assertThat(JunitReport.x("a<b & \"c\" \u0001")).isEqualTo("a&lt;b &amp; &quot;c&quot; \\u0001");
        Rollouts r = Rollouts.badVersion();
        String xml = JunitReport.render(r.state, r.journal);
        assertThat(xml).doesNotContain("<script>").contains("&lt;script&gt;");
        parse(xml);
    }
}
