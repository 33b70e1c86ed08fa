package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.store.StoreMaintenance.Finding;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What must hold of a file store directory at any instant, however its writers died. */
final class StoreChecks {
    private StoreChecks() {}

    /**
     * The journal holds only complete lines, one per committed revision (1..N), every one intact (checksums,
     * revisions in order); the state reads back whole at revision N — from state.json, or from the journal's last
     * line when a writer died between the two writes (the only thing {@code store check} may find); the history is
     * the journal's events, reaching revision N. Returns the state (empty when no commit ever completed).
     */
    static Optional<RolloutState> assertConsistent(Path stateDir, RolloutKey key) throws Exception {
        Path journal = stateDir.resolve(key.service()).resolve(key.environment()).resolve("journal.jsonl");
        long lines = 0;
        if (Files.exists(journal)) {
            String text = Files.readString(journal, StandardCharsets.UTF_8);
            assertThat(text.isEmpty() || text.endsWith("\n")).as("the journal ends with a complete line: %s", tail(text)).isTrue();
            lines = text.chars().filter(c -> c == '\n').count();
        }
        try (FileRolloutStore store = new FileRolloutStore(stateDir)) {
            List<Finding> findings = store.check(key).stream().flatMap(h -> h.findings().stream()).toList();
            assertThat(findings).as("store check finds nothing but a state file behind its journal")
                    .allSatisfy(f -> assertThat(f.problem()).startsWith("is behind the journal"));
            Optional<RolloutState> s = store.read(key);
            if (s.isEmpty()) {
                assertThat(lines).as("no state, no committed line").isZero();
                return s;
            }
            assertThat(s.get().revision()).as("one journal line per committed revision").isEqualTo(lines);
            List<RolloutEvent> history = store.history(key);
            long expected = 1;
            for (RolloutEvent e : history) {
                assertThat(e.revision()).as("revisions in the history are contiguous: %s", history)
                        .isBetween(Math.max(1, expected - 1), expected);
                expected = e.revision() + 1;
            }
            assertThat(history.isEmpty() ? 0 : history.get(history.size() - 1).revision())
                    .as("the history reaches the state's revision").isEqualTo(s.get().revision());
            return s;
        }
    }

    private static String tail(String s) {
        return s.length() < 200 ? s : s.substring(s.length() - 200);
    }
}
