package io.stagedrollout.core.store;

import static io.stagedrollout.core.store.JournalFiles.KEY;
import static io.stagedrollout.core.store.JournalFiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.Command;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code summaries()} (what {@code rollout list} prints) reads the head of each state file and agrees with whole states. */
class FileStoreSummariesTest {
    @TempDir
    Path dir;

    @Test
    void summariesAreTheSummariesOfTheWholeStatesInKeyOrder() throws Exception {
        FileRolloutStore store = new FileRolloutStore(dir);
        for (String svc : List.of("payments", "checkout", "search", "a.b-c_d")) {
            RolloutKey key = new RolloutKey(svc, "production");
            RolloutState s = TestRollouts.started(TestRollouts.threeRings(svc, "production"), "2.0.0");
            store.commit(key, 0, s, List.of());
            if (!svc.equals("search")) {
                var a = TestRollouts.applied(s, new Command.BeginRing(0, TestRollouts.ALICE), TestRollouts.T0.plusSeconds(1));
                store.commit(key, 1, a.state(), a.events());
            }
        }
        // a key of an older release beside them (its state file has no ring names: read to its plan)
        JournalFiles.legacyStore(dir.resolve("old"));
        Path legacy = Files.createDirectories(dir.resolve("legacy"));
        Files.move(dir.resolve("old/checkout/production"), legacy.resolve("production"));
        Path legacyState = legacy.resolve("production/state.json");
        Files.writeString(legacyState, Files.readString(legacyState).replace("\"checkout\"", "\"legacy\""));
        List<RolloutSummary> expected = store.list().stream().map(RolloutSummary::of).toList();
        assertThat(expected).extracting(RolloutSummary::key)
                .containsExactly("a.b-c_d/production", "checkout/production", "legacy/production", "payments/production", "search/production");
        assertThat(store.summaries()).isEqualTo(expected);
    }

    @Test
    void theStateFileNamesItsRingsBeforeTheStateSoAListingSkipsThePlan() throws Exception {
        JournalFiles.committed(dir, 1);
        assertThat(Files.readString(state(dir))).startsWith("{\"journal\":{\"bytes\":")
                .contains("\"ringNames\":[\"canary\",\"early-adopters\",\"everyone\"],\"id\":");
    }

    @Test
    void aStateFileBehindItsJournalIsSummarisedFromTheJournal() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        byte[] older = Files.readAllBytes(state(dir));
        RolloutStoreContract.increment(store, 1);
        Files.write(state(dir), older);
        assertThat(store.summaries()).singleElement().satisfies(s -> assertThat(s.revision()).isEqualTo(3));
    }

    @Test
    void aStateFileCutShortIsNotSummarisedButRefused() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        byte[] b = Files.readAllBytes(state(dir));
        Files.write(state(dir), Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(store::summaries).hasMessageContaining("is not valid: not valid JSON");
    }

    @Test
    void ringNamesThatDisagreeWithThePlanAreRefusedByAWholeRead() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        Files.writeString(state(dir), Files.readString(state(dir)).replace("\"ringNames\":[\"canary\"", "\"ringNames\":[\"prod\""));
        assertThatThrownBy(() -> store.read(KEY)).hasMessageContaining("field ringNames");
    }

    @Test
    void instantsAreReadAsInstantParseReadsThem() {
        for (String s : List.of("2026-12-01T09:30:00Z", "2026-12-01T09:30:00.1Z", "2026-12-01T09:30:00.123456789Z",
                "2024-02-29T23:59:59.999Z", "1970-01-01T00:00:00Z", "+12026-01-01T00:00:00Z")) {
            assertThat(SummaryReader.instant(s)).as(s).isEqualTo(Instant.parse(s));
        }
        for (String s : List.of("2026-13-01T09:30:00Z", "2026-02-30T09:30:00Z", "2026-12-01 09:30:00Z",
                "2026-12-01T09:30:00.1234567890Z", "yesterday", "2026-12-01T09:3a:00Z")) {
            assertThat(SummaryReader.instant(s)).as(s).isNull();
        }
    }
}
