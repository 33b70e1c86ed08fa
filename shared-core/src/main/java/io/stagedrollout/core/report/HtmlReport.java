package io.stagedrollout.core.report;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.RolloutTimeline.ExposurePoint;
import io.stagedrollout.core.report.RolloutTimeline.GateRun;
import io.stagedrollout.core.report.RolloutTimeline.Point;
import io.stagedrollout.core.report.RolloutTimeline.RingRun;
import io.stagedrollout.core.report.RolloutTimeline.Threshold;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A rollout as one self-contained HTML page: inline CSS and inline SVG, no script, no fonts, no requests (a
 * Content-Security-Policy forbids them), so it can be archived as a CI artifact and opened anywhere. It shows the
 * exposure of the new version over time (a step chart with ring and rollback markers) and, per ring and gate,
 * each measurement against the gate's thresholds, coloured by outcome, with the explanation as a tooltip.
 */
public final class HtmlReport {
    static final int W = 760;
    static final int H = 220;
    static final int LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 36;

    private HtmlReport() {}

    public static String render(RolloutState state, List<RolloutEvent> journal) {
        return render(RolloutTimeline.of(state, journal));
    }

    static String render(RolloutTimeline t) {
        RolloutState s = t.state();
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>").append(h("Rollout " + s.key() + " " + s.version() + " — " + s.status())).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        sb.append("<h1>Rollout ").append(h(s.key())).append(": ").append(h(s.version())).append(" <span class=\"status status-")
                .append(s.status().name().toLowerCase(Locale.ROOT)).append("\">").append(s.status()).append("</span></h1>\n");
        sb.append("<p class=\"meta\">rollout ").append(h(s.id()));
        if (s.stableVersion() != null) sb.append(" · stable ").append(h(s.stableVersion()));
        sb.append(" · started ").append(ReportText.time(t.startedAt())).append(" · last change ").append(ReportText.time(t.endedAt())).append("</p>\n");
        if (s.reason() != null) sb.append("<p class=\"reason\">").append(h(s.reason())).append("</p>\n");

        sb.append("<h2>Exposure over time</h2>\n").append(exposureChart(t));

        sb.append("<h2>Rings</h2>\n<table class=\"rings\">\n<tr><th>#</th><th>Ring</th><th>Exposure</th><th>Bake</th><th>State</th><th>Verdict</th><th>Gates</th></tr>\n");
        for (RingRun r : t.rings()) {
            sb.append("<tr class=\"ring-").append(r.state()).append("\"><td>").append(r.index() + 1).append("</td><td>").append(h(r.name()))
                    .append("</td><td>").append(ReportText.percent(r.plannedPercent()))
                    .append(r.actualPercent() == null ? "" : " (actual " + ReportText.percent(r.actualPercent()) + ")")
                    .append("</td><td>").append(h(r.bake())).append("</td><td>").append(r.state()).append("</td><td>")
                    .append(ringVerdict(r)).append("</td><td>");
            for (int i = 0; i < r.gates().size(); i++) {
                GateRun g = r.gates().get(i);
                if (i > 0) sb.append(", ");
                sb.append(h(g.gate())).append(g.dryRun() ? " <em>(dry run)</em>" : "").append(' ').append(gateVerdict(r, g));
            }
            sb.append("</td></tr>\n");
        }
        sb.append("</table>\n");

        for (RingRun r : t.rings()) {
            if (r.deployingAt() == null) continue;
            sb.append("<section class=\"ring\" id=\"ring-").append(r.index()).append("\">\n<h2>Ring ").append(r.index() + 1).append(": ")
                    .append(h(r.name())).append(' ').append(ringVerdict(r)).append("</h2>\n");
            if (r.reason() != null) sb.append("<p class=\"reason\">").append(h(r.reason())).append("</p>\n");
            if (ReportText.override(r) != null) {
                sb.append("<p class=\"reason\">Ring ").append(h(r.name())).append(' ').append(h(ReportText.override(r))).append(".</p>\n");
            }
            for (GateRun g : r.gates()) {
                sb.append("<h3>").append(h(g.gate())).append(" <small>(").append(h(g.kind())).append(g.dryRun() ? ", dry run: not counted" : "")
                        .append(")</small> ").append(gateVerdict(r, g)).append("</h3>\n");
                sb.append("<p class=\"tally\">").append(h(ReportText.tally(g)));
                if (!g.thresholds().isEmpty()) sb.append("; ").append(h(ReportText.thresholds(g)));
                sb.append("</p>\n");
                if (g.reason() != null) sb.append("<p class=\"reason\">").append(h(g.reason())).append("</p>\n");
                if (!g.measurements().isEmpty()) sb.append(gateChart(r, g));
                if (!g.measurements().isEmpty()) {
                    sb.append("<details><summary>Measurements</summary>\n<table class=\"measurements\">\n<tr><th>Time</th><th>Outcome</th><th>")
                            .append(h(g.valueLabel())).append("</th><th>Explanation</th></tr>\n");
                    for (Point p : g.measurements()) {
                        sb.append("<tr><td>").append(ReportText.time(p.at())).append("</td><td>").append(verdict(p.outcome()))
                                .append("</td><td>").append(ReportText.number(p.value())).append("</td><td>").append(h(p.summary())).append("</td></tr>\n");
                    }
                    sb.append("</table>\n</details>\n");
                }
            }
            sb.append("</section>\n");
        }
        sb.append("<h2>Journal</h2>\n<table class=\"journal\">\n<tr><th>Time</th><th>Event</th><th>By</th><th>Ring</th><th>Reason</th></tr>\n");
        for (io.stagedrollout.core.machine.RolloutEvent e : ReportText.decisions(t)) {
            sb.append("<tr><td>").append(ReportText.time(e.at())).append("</td><td>").append(h(e.type())).append("</td><td>")
                    .append(h(ReportText.actor(e.actor()))).append("</td><td>").append(h(e.ring() == null ? "–" : e.ring()))
                    .append("</td><td>").append(h(e.reason())).append("</td></tr>\n");
        }
        sb.append("</table>\n</body>\n</html>\n");
        return sb.toString();
    }

    /** The ring's verdict, or how a person moved it on without one. */
    private static String ringVerdict(RingRun r) {
        if (r.promotedEarly()) return "<span class=\"verdict verdict-promoted\">promoted early</span>";
        if (r.verdict() == null && "stopped".equals(r.state())) return "<span class=\"verdict verdict-none\">stopped</span>";
        return verdict(r.verdict()) + (r.override() == null ? "" : " <span class=\"verdict verdict-promoted\">promoted over it</span>");
    }

    private static String gateVerdict(RingRun r, GateRun g) {
        if (g.verdict() != null) return verdict(g.verdict());
        String why = ReportText.undecided(r, g);
        return why.equals("–") ? verdict(null) : "<span class=\"verdict verdict-none\">" + h(why) + "</span>";
    }

    private static String verdict(String v) {
        if (v == null) return "<span class=\"verdict verdict-none\">–</span>";
        return "<span class=\"verdict verdict-" + h(v.toLowerCase(Locale.ROOT)) + "\">" + h(v) + "</span>";
    }

    /** The step chart of exposure (percent of traffic on the new version) against time. */
    static String exposureChart(RolloutTimeline t) {
        Instant t0 = t.startedAt();
        Instant t1 = t.endedAt().isAfter(t0) ? t.endedAt() : t0.plusSeconds(1);
        Scale x = new Scale(t0.toEpochMilli(), t1.toEpochMilli(), LEFT, W - RIGHT);
        Scale y = new Scale(0, 100, H - BOTTOM, TOP);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg id=\"exposure-chart\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"exposure over time\">\n");
        sb.append("<title>Exposure of ").append(h(t.state().version())).append(" over time</title>\n");
        axes(sb, x, y, t0, t1, new double[] {0, 25, 50, 75, 100}, "%");
        StringBuilder d = new StringBuilder();
        double prevY = y.at(0);
        List<ExposurePoint> pts = t.exposure();
        for (int i = 0; i < pts.size(); i++) {
            ExposurePoint p = pts.get(i);
            double px = x.at(p.at().toEpochMilli());
            double py = y.at(p.percent());
            if (i == 0) d.append("M").append(f(px)).append(',').append(f(py));
            else d.append(" L").append(f(px)).append(',').append(f(prevY)).append(" L").append(f(px)).append(',').append(f(py));
            prevY = py;
        }
        sb.append("<path class=\"exposure-line\" d=\"").append(d).append("\"/>\n");
        for (ExposurePoint p : pts) {
            if (p.label().equals("started") || p.label().equals("now")) continue;
            double px = x.at(p.at().toEpochMilli());
            String cls = p.label().equals("rolled back") ? "rollback-marker" : "ring-marker";
            boolean nearRight = px > W - RIGHT - 140; // keep the label inside the chart
            sb.append("<g class=\"").append(cls).append("\"><line x1=\"").append(f(px)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                    .append(f(px)).append("\" y2=\"").append(H - BOTTOM).append("\"/><text x=\"").append(f(nearRight ? px - 3 : px + 3))
                    .append(nearRight ? "\" text-anchor=\"end" : "").append("\" y=\"")
                    .append(f(Math.max(TOP + 10, y.at(p.percent()) - 4) + (p.label().endsWith("(actual)") ? 14 : 0))).append("\">").append(h(p.label() + " " + ReportText.percent(p.percent())))
                    .append("</text><title>").append(h(ReportText.time(p.at()) + " " + p.label() + ": " + ReportText.percent(p.percent())))
                    .append("</title></g>\n");
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** One gate's measurements in one ring against its thresholds. */
    static String gateChart(RingRun r, GateRun g) {
        List<Point> ms = g.measurements();
        Instant t0 = r.deployedAt() != null && !r.deployedAt().isAfter(ms.get(0).at()) ? r.deployedAt() : ms.get(0).at();
        Instant t1 = ms.get(ms.size() - 1).at();
        if (r.concludedAt() != null && r.concludedAt().isAfter(t1)) t1 = r.concludedAt();
        if (!t1.isAfter(t0)) t1 = t0.plusSeconds(1);
        List<Double> values = new ArrayList<>();
        for (Point p : ms) if (p.value() != null) values.add(p.value());
        for (Threshold th : g.thresholds()) values.add(th.value());
        double lo = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double hi = values.stream().mapToDouble(Double::doubleValue).max().orElse(1);
        if ("score".equals(g.valueLabel())) {
            lo = 0;
            hi = 100;
        } else {
            lo = Math.min(lo, 0 <= lo ? 0 : lo);
            double pad = (hi - lo) * 0.1;
            if (pad == 0) pad = Math.abs(hi) * 0.1 + 1e-9;
            hi += pad;
        }
        Scale x = new Scale(t0.toEpochMilli(), t1.toEpochMilli(), LEFT, W - RIGHT);
        Scale y = new Scale(lo, hi, H - BOTTOM, TOP);
        StringBuilder sb = new StringBuilder();
        sb.append("<svg class=\"chart gate-chart\" data-ring=\"").append(h(r.name())).append("\" data-gate=\"").append(h(g.gate()))
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").append(W).append(' ').append(H).append("\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"").append(h(g.gate() + " measurements in ring " + r.name()))
                .append("\">\n<title>").append(h(g.gate() + " in ring " + r.name())).append("</title>\n");
        double[] ticks = new double[5];
        for (int i = 0; i < 5; i++) ticks[i] = lo + (hi - lo) * i / 4;
        axes(sb, x, y, t0, t1, ticks, "");
        for (Threshold th : g.thresholds()) {
            double py = y.at(th.value());
            sb.append("<g class=\"threshold threshold-").append(h(th.severity())).append("\"><line x1=\"").append(LEFT).append("\" y1=\"").append(f(py))
                    .append("\" x2=\"").append(W - RIGHT).append("\" y2=\"").append(f(py)).append("\"/><text x=\"")
                    // marginal lines sit next to fail lines: label them on the other side
                    .append(th.severity().equals("marginal") ? (LEFT + 4) + "\" y=\"" + f(py + 12) + "\" text-anchor=\"start\">"
                            : (W - RIGHT - 4) + "\" y=\"" + f(py - 3) + "\" text-anchor=\"end\">").append(h(th.name() + " " + GateRules.number(th.value())))
                    .append("</text></g>\n");
        }
        StringBuilder line = new StringBuilder();
        for (Point p : ms) {
            if (p.value() == null) continue;
            line.append(line.length() == 0 ? "M" : " L").append(f(x.at(p.at().toEpochMilli()))).append(',').append(f(y.at(p.value())));
        }
        if (line.length() > 0) sb.append("<path class=\"value-line\" d=\"").append(line).append("\"/>\n");
        for (Point p : ms) {
            double px = x.at(p.at().toEpochMilli());
            String cls = "measurement outcome-" + p.outcome().toLowerCase(Locale.ROOT);
            String tip = "<title>" + h(ReportText.point(p)) + "</title>";
            if (p.value() == null) {
                // no value (backend error, no data): a cross on the time axis
                double py = H - BOTTOM;
                sb.append("<g class=\"").append(cls).append(" no-value\"><path d=\"M").append(f(px - 4)).append(',').append(f(py - 4)).append(" L")
                        .append(f(px + 4)).append(',').append(f(py + 4)).append(" M").append(f(px - 4)).append(',').append(f(py + 4)).append(" L")
                        .append(f(px + 4)).append(',').append(f(py - 4)).append("\"/>").append(tip).append("</g>\n");
            } else {
                sb.append("<circle class=\"").append(cls).append("\" cx=\"").append(f(px)).append("\" cy=\"").append(f(y.at(p.value())))
                        .append("\" r=\"4\">").append(tip).append("</circle>\n");
            }
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void axes(StringBuilder sb, Scale x, Scale y, Instant t0, Instant t1, double[] yTicks, String unit) {
        sb.append("<g class=\"axis\">\n<line x1=\"").append(LEFT).append("\" y1=\"").append(H - BOTTOM).append("\" x2=\"").append(W - RIGHT)
                .append("\" y2=\"").append(H - BOTTOM).append("\"/>\n<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"")
                .append(LEFT).append("\" y2=\"").append(H - BOTTOM).append("\"/>\n");
        for (double v : yTicks) {
            double py = y.at(v);
            sb.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" y1=\"").append(f(py)).append("\" x2=\"").append(W - RIGHT)
                    .append("\" y2=\"").append(f(py)).append("\"/><text x=\"").append(LEFT - 4).append("\" y=\"").append(f(py + 4))
                    .append("\" text-anchor=\"end\">").append(h(GateRules.number(round(v)) + unit)).append("</text>\n");
        }
        long span = Duration.between(t0, t1).toMillis();
        for (int i = 0; i <= 4; i++) {
            Instant at = t0.plusMillis(span * i / 4);
            double px = x.at(at.toEpochMilli());
            String label = i == 0 ? ReportText.time(at).replace('T', ' ').replace("Z", " UTC") : "+" + io.stagedrollout.core.plan.Durations.format(
                    Duration.ofSeconds(Duration.between(t0, at).toSeconds()));
            sb.append("<text x=\"").append(f(px)).append("\" y=\"").append(H - BOTTOM + 16).append("\" text-anchor=\"")
                    .append(i == 0 ? "start" : i == 4 ? "end" : "middle").append("\">").append(h(label)).append("</text>\n");
        }
        sb.append("</g>\n");
    }

    private static double round(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(Math.max(Math.abs(v), 1e-12))) - 2);
        return Math.round(v / mag) * mag;
    }

    private record Scale(double from, double to, double outFrom, double outTo) {
        double at(double v) {
            double span = to - from;
            if (span == 0) return (outFrom + outTo) / 2;
            return outFrom + (v - from) / span * (outTo - outFrom);
        }
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** HTML text and attribute escaping, after {@link ReportText#safe}. */
    static String h(String s) {
        if (s == null) return "";
        s = ReportText.safe(s);
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private static final String CSS = """
            body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:820px;color:#1f2328;padding:0 12px}
            h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:18px 0 4px}
            .meta{color:#59636e}.reason{background:#f6f8fa;border-left:3px solid #d0d7de;padding:6px 10px;white-space:pre-wrap}
            table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
            .status,.verdict{font-weight:600;padding:1px 6px;border-radius:10px;font-size:12px}
            .status-completed,.verdict-pass{background:#dafbe1;color:#116329}.status-rolled_back,.status-failed,.verdict-fail{background:#ffebe9;color:#a40e26}
            .verdict-inconclusive,.status-awaiting_approval{background:#fff8c5;color:#7d4e00}.verdict-error{background:#f1e4ff;color:#6e40c9}
            .verdict-promoted{background:#ddf4ff;color:#0550ae}.verdict-none{color:#59636e;font-weight:400}
            .chart{display:block;max-width:100%;height:auto;background:#fff;border:1px solid #d0d7de;border-radius:6px}
            .axis line{stroke:#59636e;stroke-width:1}.axis line.grid{stroke:#eaeef2}.axis text,.chart text{font-size:11px;fill:#59636e}
            .exposure-line{fill:none;stroke:#0969da;stroke-width:2.5}.value-line{fill:none;stroke:#8c959f;stroke-width:1}
            .ring-marker line{stroke:#0969da;stroke-dasharray:3 3;opacity:.5}.rollback-marker line{stroke:#cf222e;stroke-width:2}
            .rollback-marker text{fill:#cf222e}.threshold line{stroke-width:1.5;stroke-dasharray:6 4}
            .threshold-fail line{stroke:#cf222e}.threshold-fail text{fill:#cf222e}.threshold-marginal line{stroke:#bf8700}
            .threshold-pass line{stroke:#1a7f37}.threshold-pass text{fill:#1a7f37}
            circle.outcome-pass{fill:#1a7f37}circle.outcome-fail{fill:#cf222e}circle.outcome-inconclusive{fill:#bf8700}
            .no-value path{stroke:#6e40c9;stroke-width:2}.outcome-error.no-value path{stroke:#6e40c9}.outcome-inconclusive.no-value path{stroke:#bf8700}
            """;
}
