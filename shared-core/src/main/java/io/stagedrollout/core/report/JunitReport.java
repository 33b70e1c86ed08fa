package io.stagedrollout.core.report;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.RolloutTimeline.GateRun;
import io.stagedrollout.core.report.RolloutTimeline.Point;
import io.stagedrollout.core.report.RolloutTimeline.RingRun;
import java.util.List;

/**
 * A rollout as JUnit XML, for CI test tabs (Jenkins, GitLab, GitHub): one test suite per ring, one test case per
 * gate, plus a {@code deploy} case per reached ring. Mapping, chosen so that a CI tab is red exactly when a person
 * must look:
 * <ul>
 *   <li>gate FAIL → {@code <failure>}: the gate's assertion about the new version did not hold;</li>
 *   <li>gate INCONCLUSIVE → {@code <error>}: the gate could not decide (no data, marginal score, backend down)
 *       and the rollout is held; "skipped" would hide it as harmless;</li>
 *   <li>dry-run gates, rings not reached, and gates of the ring still baking → {@code <skipped>} with the reason;</li>
 *   <li>every measurement is listed in {@code <system-out>}.</li>
 * </ul>
 */
public final class JunitReport {
    private JunitReport() {}

    public static String render(RolloutState state, List<RolloutEvent> journal) {
        return render(RolloutTimeline.of(state, journal));
    }

    static String render(RolloutTimeline t) {
        RolloutState s = t.state();
        StringBuilder body = new StringBuilder();
        int tests = 0, failures = 0, errors = 0, skipped = 0;
        for (RingRun r : t.rings()) {
            StringBuilder cases = new StringBuilder();
            int rt = 0, rf = 0, re = 0, rs = 0;
            String classname = s.service() + "." + s.environment() + "." + r.name();
            if (r.deployingAt() != null) {
                rt++;
                cases.append("    <testcase classname=\"").append(x(classname)).append("\" name=\"deploy\" time=\"")
                        .append(ReportText.seconds(r.deployingAt(), r.deployedAt())).append("\"");
                if (r.deployFailure() != null) {
                    rf++;
                    cases.append(">\n      <failure type=\"DEPLOY_FAILED\" message=\"").append(x(r.deployFailure())).append("\"/>\n    </testcase>\n");
                } else {
                    cases.append("/>\n");
                }
            }
            for (GateRun g : r.gates()) {
                rt++;
                Span span = span(g, r);
                cases.append("    <testcase classname=\"").append(x(classname)).append("\" name=\"").append(x(g.gate()))
                        .append("\" time=\"").append(ReportText.seconds(span.from, span.to)).append("\">\n");
                String why = g.reason() == null ? ReportText.tally(g) : g.reason();
                if (r.deployingAt() == null) {
                    rs++;
                    cases.append("      <skipped message=\"ring ").append(x(r.name())).append(" was not reached\"/>\n");
                } else if (g.dryRun()) {
                    rs++;
                    cases.append("      <skipped message=\"dry run, not counted: ").append(x(g.verdict() == null ? "undecided" : g.verdict()))
                            .append(": ").append(x(why)).append("\"/>\n");
                } else if ("FAIL".equals(g.verdict())) {
                    rf++;
                    cases.append("      <failure type=\"FAIL\" message=\"").append(x(why)).append("\">")
                            .append(x(ReportText.tally(g))).append("</failure>\n");
                } else if ("INCONCLUSIVE".equals(g.verdict())) {
                    re++;
                    cases.append("      <error type=\"INCONCLUSIVE\" message=\"").append(x(why)).append("\">")
                            .append(x(ReportText.tally(g))).append("</error>\n");
                } else if (g.verdict() == null) {
                    rs++;
                    String notDecided = r.deployFailure() != null ? "the deploy failed; not measured"
                            : r.promotedEarly() ? "not decided: ring " + r.name() + " was " + ReportText.override(r) + "; " + ReportText.tally(g)
                            : "stopped".equals(r.state()) ? "not decided: the rollout stopped before the ring was judged; " + ReportText.tally(g)
                            : "not decided yet: " + ReportText.tally(g);
                    cases.append("      <skipped message=\"").append(x(notDecided)).append("\"/>\n");
                }
                if (!g.measurements().isEmpty()) {
                    cases.append("      <system-out>");
                    for (Point p : g.measurements()) cases.append(x(ReportText.point(p))).append('\n');
                    cases.append("</system-out>\n");
                }
                cases.append("    </testcase>\n");
            }
            body.append("  <testsuite name=\"").append(x(s.key() + " ring " + (r.index() + 1) + " " + r.name()))
                    .append("\" tests=\"").append(rt).append("\" failures=\"").append(rf).append("\" errors=\"").append(re)
                    .append("\" skipped=\"").append(rs).append("\" time=\"").append(ReportText.seconds(r.deployingAt(), r.concludedAt()))
                    .append('"');
            if (r.deployingAt() != null) body.append(" timestamp=\"").append(ReportText.time(r.deployingAt())).append('"');
            body.append(">\n    <properties>\n");
            prop(body, "ring", r.name());
            prop(body, "exposure", ReportText.percent(r.plannedPercent()));
            if (r.actualPercent() != null) prop(body, "actualExposure", ReportText.percent(r.actualPercent()));
            prop(body, "bake", r.bake());
            prop(body, "state", r.state());
            if (r.verdict() != null) prop(body, "verdict", r.verdict());
            if (r.override() != null) prop(body, "override", ReportText.override(r));
            body.append("    </properties>\n").append(cases).append("  </testsuite>\n");
            tests += rt;
            failures += rf;
            errors += re;
            skipped += rs;
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"" + x("rollout " + s.key() + " " + s.version())
                + "\" tests=\"" + tests + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" skipped=\"" + skipped
                + "\" time=\"" + ReportText.seconds(t.startedAt(), t.endedAt()) + "\" timestamp=\"" + ReportText.time(t.startedAt())
                + "\">\n" + body + "</testsuites>\n";
    }

    private record Span(java.time.Instant from, java.time.Instant to) {}

    /** From the deploy to the gate's last measurement or the ring's end (a verdict, or a promote), whichever is later. */
    private static Span span(GateRun g, RingRun r) {
        java.time.Instant from = r.deployedAt() != null ? r.deployedAt() : r.deployingAt();
        java.time.Instant last = g.measurements().isEmpty() ? null : g.measurements().get(g.measurements().size() - 1).at();
        if (from == null) from = last;
        java.time.Instant to = r.concludedAt() == null || (last != null && last.isAfter(r.concludedAt())) ? last : r.concludedAt();
        return new Span(from, to);
    }

    private static void prop(StringBuilder sb, String name, String value) {
        sb.append("      <property name=\"").append(x(name)).append("\" value=\"").append(x(value)).append("\"/>\n");
    }

    /** XML text and attribute escaping; characters XML 1.0 cannot carry become U+FFFD. */
    static String x(String s) {
        if (s == null) return "";
        s = ReportText.safe(s);
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                case '\n' -> sb.append("&#10;");
                case '\t' -> sb.append("&#9;");
                case '\r' -> sb.append("&#13;");
                default -> {
                    boolean ok = (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
                    sb.appendCodePoint(ok ? c : 0xFFFD);
                }
            }
        });
        return sb.toString();
    }
}
