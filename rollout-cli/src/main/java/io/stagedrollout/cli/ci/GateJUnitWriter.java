package io.stagedrollout.cli.ci;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The JUnit XML a CI "Tests" tab shows for one rollout command: a test suite for the ring the command judged, a
 * test case per gate. FAIL is a failure, INCONCLUSIVE an error (not a pass, not proven bad), a dry-run gate is
 * skipped with its would-be verdict in the message. A gate still baking (no verdict yet) is skipped as "not
 * concluded". A command that reached no rollout (invalid input, crash) is one errored test case, so the Tests tab
 * never shows green for a run that judged nothing.
 *
 * <p>Each ring's job writes its own file; GitLab merges the reports of a pipeline, giving one case per gate per ring.
 */
public final class GateJUnitWriter {
    private GateJUnitWriter() {}

    public static String render(CliResult result) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            CliResult.Rollout r = result.rollout();
            String key = r == null || r.key() == null ? "rollout" : r.key();
            List<CliResult.Gate> gates = gatesOf(r);
            String ring = ringOf(r);
            boolean judged = r != null && (r.verdict() != null || !r.gates().isEmpty());
            if (!judged) {
                suite(xml, key, null, List.of(), result);
            } else {
                suite(xml, key, ring, gates, result);
            }
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot render JUnit XML", e);
        }
        return out.toString();
    }

    public static void write(Path file, CliResult result) throws IOException {
        String text = render(result);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".junit", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static List<CliResult.Gate> gatesOf(CliResult.Rollout r) {
        if (r == null) return List.of();
        return r.verdict() != null ? r.verdict().gates() : r.gates();
    }

    private static String ringOf(CliResult.Rollout r) {
        if (r == null) return null;
        if (r.verdict() != null && r.verdict().ring() != null) return r.verdict().ring();
        return r.ring();
    }

    private static void suite(XMLStreamWriter xml, String key, String ring, List<CliResult.Gate> gates,
                              CliResult result) throws XMLStreamException {
        int failures = 0, errors = 0, skipped = 0;
        for (CliResult.Gate g : gates) {
            switch (kind(g)) {
                case FAILURE -> failures++;
                case ERROR -> errors++;
                case SKIPPED -> skipped++;
                default -> { }
            }
        }
        boolean commandCase = ring == null;
        if (commandCase) errors = 1;
        String suiteName = commandCase ? key : key + " ring " + ring;
        xml.writeStartElement("testsuites");
        xml.writeAttribute("name", "staged-rollout " + key);
        xml.writeAttribute("tests", Integer.toString(commandCase ? 1 : gates.size()));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", Integer.toString(errors));
        xml.writeAttribute("skipped", Integer.toString(skipped));
        xml.writeCharacters("\n  ");
        xml.writeStartElement("testsuite");
        xml.writeAttribute("name", suiteName);
        xml.writeAttribute("tests", Integer.toString(commandCase ? 1 : gates.size()));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", Integer.toString(errors));
        xml.writeAttribute("skipped", Integer.toString(skipped));
        properties(xml, result);
        String classname = "rollout." + key.replace('/', '.') + (ring == null ? "" : "." + ring);
        if (commandCase) {
            xml.writeCharacters("\n    ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", classname);
            xml.writeAttribute("name", "rollout " + (result.command() == null ? "command" : result.command()));
            xml.writeStartElement("error");
            xml.writeAttribute("type", result.result() == null ? "error" : result.result());
            xml.writeAttribute("message", safe(commandMessage(result)));
            xml.writeCharacters(safe(commandMessage(result)));
            xml.writeEndElement();
            xml.writeEndElement();
        }
        for (CliResult.Gate g : gates) {
            xml.writeCharacters("\n    ");
            xml.writeStartElement("testcase");
            xml.writeAttribute("classname", classname);
            xml.writeAttribute("name", g.gate());
            String reason = g.reason() == null ? "" : g.reason();
            switch (kind(g)) {
                case FAILURE -> element(xml, "failure", "FAIL", reason);
                case ERROR -> element(xml, "error", g.verdict(), reason);
                case SKIPPED -> element(xml, "skipped", null, g.dryRun()
                        ? "dry run (never counted): verdict " + g.verdict() + (reason.isEmpty() ? "" : ", " + reason)
                        : "not concluded: the ring is still baking");
                default -> { }
            }
            xml.writeStartElement("system-out");
            xml.writeCharacters(safe(tally(g)));
            xml.writeEndElement();
            xml.writeEndElement();
        }
        xml.writeCharacters("\n  ");
        xml.writeEndElement();
        xml.writeCharacters("\n");
        xml.writeEndElement();
        xml.writeCharacters("\n");
    }

    private static void properties(XMLStreamWriter xml, CliResult result) throws XMLStreamException {
        CliResult.Rollout r = result.rollout();
        xml.writeCharacters("\n    ");
        xml.writeStartElement("properties");
        property(xml, "command", result.command());
        property(xml, "result", result.result());
        if (r != null) {
            property(xml, "rollout.id", r.id());
            property(xml, "version", r.version());
            property(xml, "stableVersion", r.stableVersion());
            property(xml, "status", r.status());
            property(xml, "ring", r.ring());
            if (r.verdict() != null) {
                property(xml, "verdict", r.verdict().verdict());
                property(xml, "verdict.reason", r.verdict().reason());
            }
        }
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        if (value == null) return;
        xml.writeEmptyElement("property");
        xml.writeAttribute("name", name);
        xml.writeAttribute("value", safe(value));
    }

    private static void element(XMLStreamWriter xml, String name, String type, String message)
            throws XMLStreamException {
        xml.writeStartElement(name);
        if (type != null) xml.writeAttribute("type", type);
        xml.writeAttribute("message", safe(message));
        if (!"skipped".equals(name)) xml.writeCharacters(safe(message));
        xml.writeEndElement();
    }

    /** Text from the rollout (reasons, gate answers, versions) as CI shows it: no raw control character, no credential. */
    private static String safe(String s) {
        return io.stagedrollout.core.text.Printable.lines(io.stagedrollout.core.text.Redact.text(s));
    }

    private static String tally(CliResult.Gate g) {
        StringBuilder sb = new StringBuilder();
        sb.append(g.measurements()).append(" measurements: ").append(g.passed()).append(" passed, ")
                .append(g.failed()).append(" failed, ").append(g.inconclusive()).append(" inconclusive, ")
                .append(g.errors()).append(" errors");
        if (g.lastOutcome() != null) {
            sb.append("; last ").append(g.lastOutcome());
            if (g.lastValue() != null) sb.append(' ').append(String.format(Locale.ROOT, "%s", g.lastValue()));
            if (g.lastSummary() != null) sb.append(" (").append(g.lastSummary()).append(')');
        }
        return sb.toString();
    }

    private static String commandMessage(CliResult result) {
        StringBuilder sb = new StringBuilder();
        sb.append(result.message() == null ? "the rollout command reached no rollout" : result.message());
        for (String p : result.problems()) sb.append("\n").append(p);
        return sb.toString();
    }

    private enum Kind { PASSED, FAILURE, ERROR, SKIPPED }

    private static Kind kind(CliResult.Gate g) {
        if (g.verdict() == null) return Kind.SKIPPED;
        if (g.dryRun()) return Kind.SKIPPED;
        return switch (g.verdict().toUpperCase(Locale.ROOT)) {
            case "PASS" -> Kind.PASSED;
            case "FAIL" -> Kind.FAILURE;
            default -> Kind.ERROR;
        };
    }
}
