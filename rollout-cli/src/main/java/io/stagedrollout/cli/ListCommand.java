package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.store.RolloutStore;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", description = "List the stored rollouts, one per key.")
final class ListCommand extends Base {
    @Option(names = "--active", description = "Only rollouts that are not finished.")
    boolean active;

    @Override
    int execute() throws Exception {
        try (RolloutStore store = openStore()) {
            List<RolloutState> all = store.list().stream().filter(s -> !active || s.status().isActive()).toList();
            if (output().json()) {
                ObjectNode extra = JsonNodeFactory.instance.objectNode();
                ArrayNode a = extra.putArray("rollouts");
                all.forEach(s -> a.add(StatusJson.rollout(s)));
                return output().finish(name(), "applied", ExitCode.OK, all.size() + " rollouts" + (all.isEmpty() ? lookedIn() : ""), null, extra);
            }
            for (RolloutState s : all) {
                output().human().printf("%-36s %-20s %-18s %-16s %s%n", s.key(), s.version(), s.status(),
                        s.ringName() == null ? "-" : s.ringName(), Output.time(s.updatedAt()));
            }
            if (all.isEmpty()) {
                output().human().println("no " + (active ? "active " : "") + "rollouts" + lookedIn());
            }
            return ExitCode.OK;
        }
    }
}
