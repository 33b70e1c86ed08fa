package io.stagedrollout.core.report;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.RolloutTimeline.GateRun;
import io.stagedrollout.core.report.RolloutTimeline.Point;
import io.stagedrollout.core.report.RolloutTimeline.RingRun;
import java.util.List;

/**
 * A rollout as GitHub-flavoured Markdown, for job summaries ({@code $GITHUB_STEP_SUMMARY}) and merge-request
 * comments: a table of the rings, then each reached ring's verdict with every gate's reason and its last
 * measurements. Text from plans and measurements is escaped so it cannot break the table or inject markup.
 */
public final class MarkdownReport {
    /** Measurements listed per gate; older ones are counted, not listed, to keep summaries short. */
    static final int LAST_MEASUREMENTS = 5;

    private MarkdownReport() {}

    public static String render(RolloutState state, List<RolloutEvent> journal) {
        return render(RolloutTimeline.of(state, journal));
    }

    static String render(RolloutTimeline t) {
        RolloutState s = t.state();
        StringBuilder sb = new StringBuilder();
        sb.append("## Rollout ").append(md(s.key())).append(": ").append(md(s.version())).append(" — ").append(s.status().name()).append("\n\n");
        sb.append("- **Version:** `").append(code(s.version())).append('`');
        if (s.stableVersion() != null) sb.append(" (stable `").append(code(s.stableVersion())).append("`)");
        sb.append("\n- **Rollout id:** `").append(code(s.id())).append("`\n");
        sb.append("- **Started:** ").append(ReportText.time(t.startedAt())).append(", last change ").append(ReportText.time(t.endedAt())).append('\n');
        if (s.reason() != null) sb.append("- **Reason:** ").append(md(s.reason())).append('\n');
        sb.append("\n| # | Ring | Exposure | Bake | State | Verdict | Gates |\n|---:|---|---:|---|---|---|---|\n");
        for (RingRun r : t.rings()) {
            sb.append("| ").append(r.index() + 1).append(" | ").append(md(r.name())).append(" | ")
                    .append(ReportText.percent(r.plannedPercent()))
                    .append(r.actualPercent() == null ? "" : " (actual " + ReportText.percent(r.actualPercent()) + ")")
                    .append(" | ").append(r.bake()).append(" | ").append(r.state()).append(" | ")
                    .append(ringVerdict(r)).append(" | ");
            if (r.gates().isEmpty()) sb.append("–");
            for (int i = 0; i < r.gates().size(); i++) {
                GateRun g = r.gates().get(i);
                if (i > 0) sb.append(", ");
                sb.append(md(g.gate())).append(g.dryRun() ? " (dry run)" : "").append(": ")
                        .append(g.verdict() == null ? ReportText.undecided(r, g) : g.verdict());
            }
            sb.append(" |\n");
        }
        for (RingRun r : t.rings()) {
            if (r.deployingAt() == null) continue;
            sb.append("\n### Ring ").append(r.index() + 1).append(": ").append(md(r.name())).append(" — ")
                    .append(r.verdict() == null && r.override() == null ? r.state() : ringVerdict(r)).append("\n\n");
            if (r.reason() != null) sb.append(md(r.reason())).append("\n\n");
            if (ReportText.override(r) != null) sb.append("Ring ").append(md(r.name())).append(' ').append(md(ReportText.override(r))).append(".\n\n");
            if (r.deployFailure() != null && r.reason() == null) sb.append("Deploy failed: ").append(md(r.deployFailure())).append("\n\n");
            for (GateRun g : r.gates()) {
                sb.append("- **").append(md(g.gate())).append("** (").append(md(g.kind())).append(g.dryRun() ? ", dry run: not counted" : "")
                        .append("): ").append(g.verdict() == null ? ReportText.undecided(r, g) : g.verdict()).append(" — ").append(ReportText.tally(g));
                if (!g.thresholds().isEmpty()) sb.append("; ").append(ReportText.thresholds(g));
                sb.append('\n');
                if (g.reason() != null) sb.append("  - ").append(md(g.reason())).append('\n');
                List<Point> ms = g.measurements();
                int from = Math.max(0, ms.size() - LAST_MEASUREMENTS);
                if (from > 0) sb.append("  - … ").append(from).append(" earlier measurements\n");
                for (Point p : ms.subList(from, ms.size())) sb.append("  - ").append(md(ReportText.point(p))).append('\n');
            }
        }
        sb.append("\n### Journal\n\n| Time | Event | By | Ring | Reason |\n|---|---|---|---|---|\n");
        for (io.stagedrollout.core.machine.RolloutEvent e : ReportText.decisions(t)) {
            sb.append("| ").append(ReportText.time(e.at())).append(" | ").append(e.type()).append(" | ").append(md(ReportText.actor(e.actor())))
                    .append(" | ").append(e.ring() == null ? "–" : md(e.ring())).append(" | ").append(md(e.reason())).append(" |\n");
        }
        return sb.toString();
    }

    /** The ring's verdict with a person's override: "⏭ promoted early", "⚠️ INCONCLUSIVE, promoted over it". */
    private static String ringVerdict(RingRun r) {
        if (r.promotedEarly()) return "⏭ promoted early" + (r.promotedBy() == null ? "" : " by " + md(r.promotedBy()));
        if (r.verdict() == null) return "–";
        return badge(r.verdict()) + (r.override() == null ? "" : ", promoted over it" + (r.promotedBy() == null ? "" : " by " + md(r.promotedBy())));
    }

    private static String badge(String verdict) {
        return switch (verdict) {
            case "PASS" -> "✅ PASS";
            case "FAIL" -> "❌ FAIL";
            case "INCONCLUSIVE" -> "⚠️ INCONCLUSIVE";
            default -> verdict;
        };
    }

    /** Escapes Markdown and HTML specials (tables, emphasis, links, raw HTML) and keeps text on one line. */
    static String md(String s) {
        if (s == null) return "";
        s = ReportText.safe(s);
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '|', '#', '~' -> sb.append('\\').append(c);
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '\n', '\r' -> sb.append(' ');
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Inside inline code only backticks and line breaks matter. */
    private static String code(String s) {
        return s == null ? "" : ReportText.safe(s).replace('`', '\'');
    }
}
