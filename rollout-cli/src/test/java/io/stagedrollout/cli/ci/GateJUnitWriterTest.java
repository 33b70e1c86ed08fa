package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class GateJUnitWriterTest {
    private static Document xml(String text) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Element testcase(Document doc, String name) {
        NodeList cases = doc.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("name").equals(name)) return e;
        }
        throw new AssertionError("no testcase " + name);
    }

    @Test
    void oneSuitePerRingOneCasePerGate() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.CANARY_FAILED)));

        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("checkout/production ring canary");
        assertThat(suite.getAttribute("tests")).isEqualTo("4");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(4);
        assertThat(testcase(doc, "error-rate").getAttribute("classname"))
                .isEqualTo("rollout.checkout.production.canary");
    }

    @Test
    void failedGateIsAFailureWithItsReason() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.CANARY_FAILED)));

        Element failure = (Element) testcase(doc, "error-rate").getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("message")).contains("0.2 > 0.05").contains("failureLimit 1");
        assertThat(testcase(doc, "error-rate").getElementsByTagName("system-out").item(0).getTextContent())
                .contains("3 measurements: 1 passed, 2 failed").contains("last FAIL 0.2");
    }

    @Test
    void passedGateHasNoFailureElement() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.CANARY_FAILED)));

        Element smoke = testcase(doc, "smoke");
        assertThat(smoke.getElementsByTagName("failure").getLength()).isZero();
        assertThat(smoke.getElementsByTagName("error").getLength()).isZero();
        assertThat(smoke.getElementsByTagName("skipped").getLength()).isZero();
    }

    @Test
    void inconclusiveGateIsAnErrorNeverAPass() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.CANARY_FAILED)));

        Element error = (Element) testcase(doc, "saturation").getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("INCONCLUSIVE");
    }

    @Test
    void dryRunGateIsSkippedWithItsWouldBeVerdict() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.CANARY_FAILED)));

        Element skipped = (Element) testcase(doc, "latency").getElementsByTagName("skipped").item(0);
        assertThat(skipped.getAttribute("message")).contains("dry run").contains("FAIL");
        Element suite = (Element) doc.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    }

    @Test
    void commandThatReachedNoRolloutIsOneErroredCase() throws Exception {
        Document doc = xml(GateJUnitWriter.render(CliResult.parse(Fixtures.INVALID)));

        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(1);
        Element error = (Element) doc.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("message")).contains("rings[1].exposure: exposure must not decrease");
    }
}
