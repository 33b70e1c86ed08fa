package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.store.RolloutSummary;
import java.util.List;

final class ListCommand extends Base {
    boolean active;

    @Override
    public void declare(CommandModel m) {
        m.command("list", "List the stored rollouts, one per key.");
        m.flag("--active", "Only rollouts that are not finished.").toFlag(v -> active = v);
    }

    @Override
    int execute() throws Exception {
        try (RolloutStore store = openStore()) {
            if (output().json()) {
                // the JSON contract gives every rollout whole (gates, rings, verdict): full states
                List<RolloutState> all = store.list().stream().filter(s -> !active || s.status().isActive()).toList();
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                ArrayNode a = extra.putArray("rollouts");
                all.forEach(s -> a.add(StatusJson.rollout(s)));
                return output().finish(name(), "applied", ExitCode.OK, all.size() + " rollouts" + (all.isEmpty() ? lookedIn() : ""), null, extra);
            }
            // text needs a line per key: summaries, read without parsing plans, printed at once
            StringBuilder sb = new StringBuilder();
            int shown = 0;
            for (RolloutSummary s : store.summaries()) {
                if (active && !s.status().isActive()) continue;
                pad(sb, s.key(), 36);
                pad(sb, io.stagedrollout.core.text.Printable.escape(s.version()), 20);
                pad(sb, s.status().name(), 18);
                pad(sb, s.ring() == null ? "-" : io.stagedrollout.core.text.Printable.escape(s.ring()), 16);
                sb.append(Output.time(s.updatedAt())).append(System.lineSeparator());
                shown++;
            }
            if (shown == 0) sb.append("no ").append(active ? "active " : "").append("rollouts").append(lookedIn()).append(System.lineSeparator());
            output().human().print(sb);
            output().human().flush();
            return ExitCode.OK;
        }
    }

    /** {@code %-Ns }: the value, padded to {@code width}, and a space. */
    private static void pad(StringBuilder sb, String value, int width) {
        sb.append(value);
        for (int i = value.length(); i < width; i++) sb.append(' ');
        sb.append(' ');
    }
}
