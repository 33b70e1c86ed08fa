package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.StateJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What must hold of a file store directory at any instant, however its writers died. */
final class StoreChecks {
    private StoreChecks() {}

    /**
     * The state reads back whole; the journal holds only complete lines; the history is exactly the journal's events
     * of revisions 1..N with every revision present, N being the state's revision. Returns the state (empty when
     * no commit ever completed).
     */
    static Optional<RolloutState> assertConsistent(Path stateDir, RolloutKey key) throws Exception {
        Path dir = stateDir.resolve(key.service()).resolve(key.environment());
        Path journal = dir.resolve("journal.jsonl");
        List<RolloutEvent> raw = new ArrayList<>();
        if (Files.exists(journal)) {
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            assertThat(text.isEmpty() || text.endsWith("\n")).as("the journal ends with a complete line: %s", tail(text)).isTrue();
            for (String line : text.split("\n")) {
                if (line.isEmpty()) continue;
                raw.add(StateJson.readEvent(line)); // throws on a torn or corrupt line
            }
        }
        Path stateFile = dir.resolve("state.json");
        if (!Files.exists(stateFile)) {
            assertThat(raw).as("events without a committed state can only be of the first, uncommitted revision")
                    .allSatisfy(e -> assertThat(e.revision()).isEqualTo(1));
            return Optional.empty();
        }
        RolloutState fromFile = StateJson.readState(Files.readString(stateFile, StandardCharsets.UTF_8));
        try (FileRolloutStore store = new FileRolloutStore(stateDir)) {
            RolloutState s = store.read(key).orElseThrow();
            assertThat(s.revision()).isEqualTo(fromFile.revision());
            List<RolloutEvent> history = store.history(key);
            long expected = 1;
            for (RolloutEvent e : history) {
                assertThat(e.revision()).as("revisions in the history are contiguous: %s", history)
                        .isBetween(Math.max(1, expected - 1), expected);
                expected = e.revision() + 1;
            }
            assertThat(history.isEmpty() ? 0 : history.get(history.size() - 1).revision())
                    .as("the history reaches the state's revision").isEqualTo(s.revision());
            assertThat(raw.subList(0, history.size())).as("the history is the journal's committed prefix").isEqualTo(history);
            assertThat(raw.subList(history.size(), raw.size())).as("journal lines past the state are of an uncommitted revision")
                    .allSatisfy(e -> assertThat(e.revision()).isEqualTo(s.revision() + 1));
            return Optional.of(s);
        }
    }

    private static String tail(String s) {
        return s.length() < 200 ? s : s.substring(s.length() - 200);
    }
}
