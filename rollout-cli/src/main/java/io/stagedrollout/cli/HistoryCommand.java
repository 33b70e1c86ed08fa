package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.store.RolloutStore;
import io.stagedrollout.core.text.Printable;
import java.util.List;

final class HistoryCommand extends Base {
    String rollout;

    @Override
    public void declare(CommandModel m) {
        m.command("history", "Print the rollout key's journal: who did what, when, and why.");
        m.option("--rollout", "KEY", "service/environment").required().toText(v -> rollout = v);
    }

    @Override
    int execute() throws Exception {
        var key = key(rollout);
        try (RolloutStore store = openStore()) {
            List<RolloutEvent> events = store.history(key);
            if (output().json()) {
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                extra.set("events", StatusJson.events(events));
                return output().finish(name(), "applied", ExitCode.OK, events.size() + " events", store.read(key).orElse(null), extra);
            }
            for (RolloutEvent e : events) {
                // every field escaped: a newline in a name or reason must not forge a line of history
                Object note = e.evidence().get("note");
                output().human().printf("%s  r%-4d %-10s %-18s %-22s %s%s%n", Output.time(e.at()), e.revision(),
                        e.rolloutId() == null ? "-" : Printable.escape(e.rolloutId()), Printable.escape(e.type()),
                        e.actor() == null ? "" : Printable.escape(e.actor().name() + "/" + e.actor().via()),
                        e.reason() == null ? "" : Printable.escape(e.reason()),
                        note == null || note.equals(e.reason()) ? "" : "  note: " + Printable.escape(String.valueOf(note)));
            }
            if (events.isEmpty()) {
                return output().finish(name(), "not-found", ExitCode.INVALID, "no history for " + key + lookedIn(), null, null);
            }
            return ExitCode.OK;
        }
    }
}
