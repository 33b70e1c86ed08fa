package io.stagedrollout.cli.ci;

import java.util.List;
import java.util.Locale;

/** The few lines a CI job log shows after a rollout command: what happened, where the rollout stands, why. */
final class Summary {
    private Summary() {}

    /** The lines are for a CI log: text from the rollout passes through the one sanitizer and redactor. */
    static String render(CliResult result) {
        return io.stagedrollout.core.text.PrintableStream.clean(lines(result));
    }

    private static String lines(CliResult result) {
        StringBuilder sb = new StringBuilder();
        CliResult.Rollout r = result.rollout();
        sb.append("rollout ").append(r == null || r.key() == null ? "" : r.key() + " ")
                .append(result.command()).append(": ").append(result.result())
                .append(" (exit ").append(result.exitCode()).append(")");
        if (result.message() != null && !result.message().isBlank()) sb.append(" - ").append(one(result.message()));
        sb.append('\n');
        if (r != null) {
            sb.append("  status ").append(r.status());
            if (r.ring() != null) {
                sb.append(", ring ").append(r.ring());
                if (r.ringIndex() != null && r.ringCount() != null) {
                    sb.append(" (").append(r.ringIndex() + 1).append(" of ").append(r.ringCount()).append(')');
                }
                if (r.exposurePercent() != null) {
                    sb.append(String.format(Locale.ROOT, " at %s%%", trim(r.exposurePercent())));
                }
            }
            sb.append(", version ").append(one(r.version()));
            if (r.stableVersion() != null) sb.append(", stable ").append(one(r.stableVersion()));
            sb.append('\n');
            if (r.verdict() != null) {
                sb.append("  verdict ").append(r.verdict().verdict()).append(" for ring ").append(r.verdict().ring());
                if (r.verdict().reason() != null) sb.append(": ").append(one(r.verdict().reason()));
                sb.append('\n');
                gates(sb, r.verdict().gates());
            }
        }
        for (String p : result.problems()) sb.append("  problem: ").append(one(p)).append('\n');
        return sb.toString();
    }

    private static void gates(StringBuilder sb, List<CliResult.Gate> gates) {
        for (CliResult.Gate g : gates) {
            sb.append("    ").append(g.gate()).append(' ').append(g.verdict()).append(g.dryRun() ? " (dry run)" : "")
                    .append(": ").append(g.reason() == null ? "" : one(g.reason())).append('\n');
        }
    }

    /** A value on one line: a newline in it cannot forge a line of the log. */
    private static String one(String s) {
        return io.stagedrollout.core.text.Printable.escape(s);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
