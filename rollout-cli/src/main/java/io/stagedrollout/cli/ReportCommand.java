package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.ReportFile;
import io.stagedrollout.core.report.ReportFormats;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

final class ReportCommand extends Base {
    String rollout;
    String format;
    Path out;

    @Override
    public void declare(CommandModel m) {
        m.command("report", "Render a rollout from its journal: JUnit XML for CI test tabs, Markdown for job "
                + "summaries and merge requests, or a self-contained HTML page with charts.");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
        m.option("--format", "junit|markdown|html", "junit, markdown (default) or html.").defaultValue("markdown").toText(v -> format = v);
        m.option("--out", "FILE", "Write the report to FILE instead of stdout ('-' is stdout). A file is replaced "
                + "atomically; a device or FIFO is written through; directories are never created.").alias("-o").toPath(v -> out = v);
    }

    @Override
    int execute() throws Exception {
        String f = format == null ? "" : format.toLowerCase(Locale.ROOT);
        if (!List.of("junit", "xml", "markdown", "md", "html").contains(f)) {
            throw new Invalid(List.of(new io.stagedrollout.core.plan.Problem("--format", 0,
                    "must be one of " + String.join(", ", ReportFormats.NAMES) + ", not '" + format + "'")));
        }
        var key = key(rollout);
        try (RolloutStore store = openStore()) {
            Optional<RolloutState> state = store.read(key);
            if (state.isEmpty()) return output().finish(name(), "not-found", ExitCode.INVALID, "no rollout " + key, null, null);
            List<RolloutEvent> journal = store.history(key);
            String report = ReportFormats.render(f, state.get(), journal);
            Output o = output();
            if (out != null && !out.toString().equals("-")) {
                try {
                    ReportFile.write(out, report);
                } catch (ReportFile.Refused e) {
                    throw new Invalid(List.of(new io.stagedrollout.core.plan.Problem("-o", 0, "-o " + e.getMessage())));
                }
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                extra.put("format", f);
                extra.put("file", out.toString());
                return o.finish(name(), "applied", ExitCode.OK, "wrote the " + f + " report of " + key + " to " + out, state.get(), extra);
            }
            if (o.json()) {
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                extra.put("format", f);
                extra.put("report", report);
                return o.finish(name(), "applied", ExitCode.OK, f + " report of " + key, state.get(), extra);
            }
            System.out.print(report);
            System.out.flush();
            return ExitCode.OK;
        }
    }
}
