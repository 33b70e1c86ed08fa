package io.stagedrollout.core.report;

import io.stagedrollout.core.gate.GateRules;
import io.stagedrollout.core.report.RolloutTimeline.GateRun;
import io.stagedrollout.core.report.RolloutTimeline.Point;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/** Formatting shared by the JUnit, Markdown and HTML reports. */
final class ReportText {
    private ReportText() {}

    /**
     * Text from outside (versions, names, reasons, gate answers) as a report shows it: one line, every control, bidi
     * and zero-width character made visible, credentials in URLs masked. The format's own escaping comes after.
     */
    static String safe(String s) {
        return io.stagedrollout.core.text.Printable.escape(io.stagedrollout.core.text.Redact.text(s));
    }

    /**
     * How a person overrode the ring's judgement, or null: "promoted by alice before its bake ended", "promoted by
     * alice over the verdict".
     */
    static String override(RolloutTimeline.RingRun r) {
        if (r.override() == null) return null;
        String who = r.promotedBy() == null ? "" : " by " + r.promotedBy();
        return r.promotedEarly() ? "promoted" + who + " before its bake ended" : "promoted" + who + " over the verdict";
    }

    /** Why a gate without a verdict has none, in a word or a few. */
    static String undecided(RolloutTimeline.RingRun r, GateRun g) {
        return switch (r.state()) {
            case "current" -> g.measurements().isEmpty() ? "–" : "measuring";
            case "pending" -> "–";
            default -> r.deployFailure() != null ? "not measured: the deploy failed"
                    : r.promotedEarly() ? "not decided: promoted before the bake ended"
                    : "stopped".equals(r.state()) ? "not decided: the rollout stopped first" : "not decided";
        };
    }

    static String time(Instant t) {
        return t == null ? "" : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String number(Double v) {
        return v == null ? "–" : GateRules.number(v);
    }

    static String percent(double p) {
        return GateRules.number(p) + "%";
    }

    static String seconds(Instant from, Instant to) {
        if (from == null || to == null || to.isBefore(from)) return "0";
        return String.format(Locale.ROOT, "%.3f", Duration.between(from, to).toMillis() / 1000.0);
    }

    /** "5 measurements: 3 PASS, 2 FAIL". */
    static String tally(GateRun g) {
        StringBuilder sb = new StringBuilder().append(g.measurements().size()).append(g.measurements().size() == 1 ? " measurement" : " measurements");
        String sep = ": ";
        for (String o : new String[] {"PASS", "FAIL", "INCONCLUSIVE", "ERROR"}) {
            long n = g.count(o);
            if (n > 0) {
                sb.append(sep).append(n).append(' ').append(o);
                sep = ", ";
            }
        }
        return sb.toString();
    }

    static String point(Point p) {
        return time(p.at()) + " " + p.outcome() + (p.value() == null ? "" : " " + number(p.value())) + ": " + p.summary();
    }

    /** The journal's decisions (every event but measurements, which the gates show), oldest first. */
    static java.util.List<io.stagedrollout.core.machine.RolloutEvent> decisions(RolloutTimeline t) {
        return t.events().stream().filter(e -> !e.type().equals(io.stagedrollout.core.machine.EventType.MEASURED)).toList();
    }

    static String actor(io.stagedrollout.core.machine.Actor a) {
        return a == null ? "" : a.name() + " via " + a.via();
    }

    static String thresholds(GateRun g) {
        StringBuilder sb = new StringBuilder();
        for (RolloutTimeline.Threshold t : g.thresholds()) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(t.name()).append(' ').append(number(t.value()));
        }
        return sb.toString();
    }
}
