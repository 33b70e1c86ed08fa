package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.cli.replay.Recording;
import io.stagedrollout.cli.replay.Replay;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.plan.Durations;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

final class ReplayCommand extends Base {
    Path file;
    Path metrics;
    String start;
    String approveAfter;
    boolean measurements;

    @Override
    public void declare(CommandModel m) {
        m.command("replay", "Run the plan's gate rules over recorded measurements (JSON lines: "
                + "{\"time\": \"…\", \"gate\": \"error-rate\", \"value\": 0.02} or with \"outcome\") through the real state machine "
                + "on a simulated clock, and print the decisions and their times as they would have happened. Touches no store "
                + "and runs no action.");
        m.parameter(0, "PLAN", "The plan file.").toPath(v -> file = v);
        m.option("--metrics", "FILE", "Recorded measurements, one JSON object per line.").required().toPath(v -> metrics = v);
        m.option("--start", "TIME", "When the first ring is deployed (default: the first recorded measurement).").toText(v -> start = v);
        m.option("--approve-after", "DURATION", "How long after a manual ring passes a person is taken to promote it "
                + "(default 0s).").defaultValue("0s").toText(v -> approveAfter = v);
        m.flag("--measurements", "Print every measurement, not only the decisions.").toFlag(v -> measurements = v);
    }

    @Override
    int execute() throws Exception {
        RolloutPlan plan = readPlan(file);
        Duration approve = Durations.parse(approveAfter)
                .orElseThrow(() -> new Invalid(List.of(new Problem("--approve-after", 0, "'" + approveAfter + "' is not a duration (0s, 10m, 1h)"))));
        if (!Files.isRegularFile(metrics)) throw new Invalid(List.of(new Problem("--metrics", 0, "no such file: " + metrics)));
        List<Problem> problems = new ArrayList<>();
        Recording recording = Recording.read(metrics, plan, problems);
        if (recording == null) throw new Invalid(problems);
        Instant from = recording.first();
        if (start != null) {
            try {
                from = OffsetDateTime.parse(start).toInstant();
            } catch (DateTimeParseException e) {
                throw new Invalid(List.of(new Problem("--start", 0, "'" + start + "' is not an ISO date-time such as 2026-11-20T14:00:00Z")));
            }
        }
        Replay.Result r = Replay.run(plan, recording, from, approve);
        List<RolloutEvent> shown = r.events().stream().filter(e -> measurements || !EventType.MEASURED.equals(e.type())).toList();
        String message = "replayed " + recording.size() + " recorded measurements from " + from + ": " + r.ending();
        Output o = output();
        if (o.json()) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            ObjectNode replay = extra.putObject("replay");
            replay.put("start", from.toString());
            replay.put("measurements", recording.size());
            replay.put("status", r.state().status().name());
            replay.put("ring", r.state().ringName());
            replay.put("ending", r.ending());
            ArrayNode decisions = replay.putArray("decisions");
            for (RolloutEvent e : shown) {
                ObjectNode d = decisions.addObject();
                d.put("at", e.at().toString());
                d.put("type", e.type());
                d.put("ring", e.ring());
                d.put("status", e.to() == null ? null : e.to().name());
                d.put("reason", e.reason());
                if (EventType.MEASURED.equals(e.type())) {
                    d.put("gate", String.valueOf(e.evidence().get("gate")));
                    d.put("outcome", String.valueOf(e.evidence().get("outcome")));
                }
            }
            return o.finish(name(), "applied", ExitCode.OK, message, null, extra);
        }
        PrintStream out = o.human();
        for (RolloutEvent e : shown) {
            out.println(e.at() + "  " + (e.ring() == null ? "" : "[" + e.ring() + "] ") + e.type() + ": " + io.stagedrollout.core.text.Printable.escape(e.reason()));
        }
        return o.finish(name(), "applied", ExitCode.OK, message, null, null);
    }
}
