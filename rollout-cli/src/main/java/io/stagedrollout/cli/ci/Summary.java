package io.stagedrollout.cli.ci;

import java.util.List;
import java.util.Locale;

/** The few lines a CI job log shows after a rollout command: what happened, where the rollout stands, why. */
final class Summary {
    private Summary() {}

    static String render(CliResult result) {
        StringBuilder sb = new StringBuilder();
        CliResult.Rollout r = result.rollout();
        sb.append("rollout ").append(r == null || r.key() == null ? "" : r.key() + " ")
                .append(result.command()).append(": ").append(result.result())
                .append(" (exit ").append(result.exitCode()).append(")");
        if (result.message() != null && !result.message().isBlank()) sb.append(" - ").append(result.message());
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
            sb.append(", version ").append(r.version());
            if (r.stableVersion() != null) sb.append(", stable ").append(r.stableVersion());
            sb.append('\n');
            if (r.verdict() != null) {
                sb.append("  verdict ").append(r.verdict().verdict()).append(" for ring ").append(r.verdict().ring());
                if (r.verdict().reason() != null) sb.append(": ").append(r.verdict().reason());
                sb.append('\n');
                gates(sb, r.verdict().gates());
            }
        }
        for (String p : result.problems()) sb.append("  problem: ").append(p).append('\n');
        return sb.toString();
    }

    private static void gates(StringBuilder sb, List<CliResult.Gate> gates) {
        for (CliResult.Gate g : gates) {
            sb.append("    ").append(g.gate()).append(' ').append(g.verdict()).append(g.dryRun() ? " (dry run)" : "")
                    .append(": ").append(g.reason() == null ? "" : g.reason()).append('\n');
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
