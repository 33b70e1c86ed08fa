package io.stagedrollout.core.store;

import static io.stagedrollout.core.store.JournalFiles.KEY;
import static io.stagedrollout.core.store.JournalFiles.journal;
import static io.stagedrollout.core.store.JournalFiles.keyDir;
import static io.stagedrollout.core.store.JournalFiles.lines;
import static io.stagedrollout.core.store.JournalFiles.state;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.StoreMaintenance.Finding;
import io.stagedrollout.core.store.StoreMaintenance.KeyHealth;
import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store check} says what is wrong and changes nothing; {@code store repair} fixes it without losing a committed event. */
class FileStoreRepairTest {
    private static final Instant NOW = Instant.parse("2026-12-01T09:30:00Z");

    @TempDir
    Path dir;

    private static KeyHealth only(List<KeyHealth> h) {
        assertThat(h).hasSize(1);
        return h.get(0);
    }

    private KeyHealth repair(FileRolloutStore store) throws Exception {
        return only(store.repair(KEY, TestRollouts.ALICE, NOW));
    }

    @Test
    void aSoundStoreChecksCleanAndRepairChangesNothing() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 3);
        byte[] journal = Files.readAllBytes(journal(dir));
        KeyHealth h = only(store.check(null));
        assertThat(h.findings()).isEmpty();
        assertThat(h.healthy()).isTrue();
        assertThat(h.summary()).contains("state revision 3", "3 journal lines", "3 events");
        assertThat(repair(store).findings()).isEmpty();
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(journal);
    }

    @Test
    void checkNamesEveryDamagedLineAndChangesNothing() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 13);
        JournalFiles.changeADigit(journal(dir), 2);
        JournalFiles.flipByte(journal(dir), 9, 0);
        byte[] damaged = Files.readAllBytes(journal(dir));
        KeyHealth h = only(store.check(KEY));
        assertThat(h.healthy()).isFalse();
        assertThat(h.findings()).extracting(Finding::line).containsExactly(2L, 9L);
        assertThat(h.findings().get(0).problem()).contains("checksum does not match");
        assertThat(h.findings().get(0).remedy()).contains("keeps a copy");
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(damaged);
    }

    @Test
    void repairKeepsACopyAndReplacesOnlyTheDamagedLineKeepingEveryOtherEvent() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 13);
        List<RolloutEvent> before = store.history(KEY);
        JournalFiles.changeADigit(journal(dir), 2);
        byte[] damaged = Files.readAllBytes(journal(dir));
        List<String> damagedLines = lines(journal(dir));

        KeyHealth h = repair(store);
        assertThat(h.healthy()).isTrue();
        assertThat(h.findings()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.fixed()).isTrue();
            assertThat(f.remedy()).contains("journal.jsonl.damaged-20261201T093000Z");
        });
        assertThat(Files.readAllBytes(keyDir(dir).resolve("journal.jsonl.damaged-20261201T093000Z"))).isEqualTo(damaged);
        List<String> after = lines(journal(dir));
        assertThat(after).hasSize(13);
        assertThat(after.get(0)).isEqualTo(damagedLines.get(0));
        assertThat(after.subList(2, 13)).isEqualTo(damagedLines.subList(2, 13));
        List<RolloutEvent> history = store.history(KEY);
        assertThat(history.get(1).type()).isEqualTo("JOURNAL_DAMAGED");
        assertThat(history.get(1).reason()).contains("journal line 2 was damaged").contains("1 event(s) still read");
        assertThat(history.get(1).actor()).isEqualTo(TestRollouts.ALICE);
        assertThat(history.get(2).evidence()).containsKey("unverified");
        assertThat(history.get(2).type()).isEqualTo(before.get(1).type());
        assertThat(history.subList(3, 14)).isEqualTo(before.subList(2, 13));
        assertThat(only(store.check(KEY)).findings()).isEmpty();
        assertThat(RolloutStoreContract.increment(store, 1)).isZero();
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(14);
    }

    @Test
    void aLineThatNoLongerReadsIsReplacedByOneThatSaysSo() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 5);
        List<String> lines = lines(journal(dir));
        lines.set(2, "\u0000\u0000garbage");
        Files.writeString(journal(dir), String.join("\n", lines) + "\n");
        assertThat(repair(store).healthy()).isTrue();
        RolloutEvent marker = store.history(KEY).get(2);
        assertThat(marker.type()).isEqualTo("JOURNAL_DAMAGED");
        assertThat(marker.reason()).contains("nothing in it could be read");
        assertThat(store.history(KEY)).hasSize(5);
    }

    @Test
    void repairDropsATornLastLineAndNothingElse() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 3);
        byte[] whole = Files.readAllBytes(journal(dir));
        JournalFiles.append(journal(dir), "{\"rev\":4,\"st");
        KeyHealth c = only(store.check(KEY));
        assertThat(c.findings()).singleElement().satisfies(f -> assertThat(f.remedy()).contains("drops it"));
        assertThat(repair(store).healthy()).isTrue();
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(whole);
    }

    @Test
    void repairRebuildsAMissingStateFileFromTheJournal() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 4);
        String latest = StateJson.write(store.read(KEY).orElseThrow());
        Files.delete(state(dir));
        KeyHealth c = only(store.check(KEY));
        assertThat(c.findings()).singleElement().satisfies(f -> assertThat(f.problem()).contains("is missing"));
        assertThat(repair(store).healthy()).isTrue();
        assertThat(state(dir)).exists();
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(latest);
    }

    @Test
    void repairRebuildsAnInvalidStateFileFromTheJournal() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 4);
        String latest = StateJson.write(store.read(KEY).orElseThrow());
        Files.writeString(state(dir), Files.readString(state(dir)).replace("\"revision\":4", "\"revision\":-3"));
        assertThat(only(store.check(KEY)).findings()).singleElement()
                .satisfies(f -> assertThat(f.problem()).contains("field revision: is -3"));
        assertThat(repair(store).healthy()).isTrue();
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(latest);
    }

    @Test
    void aJournalThatLostItsLastLinesGetsALineCarryingTheStateFilesState() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 6);
        RolloutState latest = store.read(KEY).orElseThrow();
        List<String> lines = lines(journal(dir));
        Files.writeString(journal(dir), String.join("\n", lines.subList(0, 4)) + "\n");
        KeyHealth h = repair(store);
        assertThat(h.healthy()).isTrue();
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(StateJson.write(latest));
        List<RolloutEvent> history = store.history(KEY);
        assertThat(history).hasSize(5);
        assertThat(history.get(4).type()).isEqualTo("JOURNAL_DAMAGED");
        assertThat(history.get(4).reason()).contains("after revision 4", "up to revision 6");
        RolloutStoreContract.increment(store, 1);
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(7);
    }

    @Test
    void repairRemovesPlantedLinksWithoutFollowingThem() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("precious"), "keep me");
        Files.createSymbolicLink(keyDir(dir).resolve("state.json.tmp"), outside);
        Files.delete(keyDir(dir).resolve(".lock"));
        Files.createSymbolicLink(keyDir(dir).resolve(".lock"), outside);
        assertThat(only(store.check(KEY)).findings()).hasSize(2).allSatisfy(f -> assertThat(f.problem()).contains("symbolic link"));
        assertThat(repair(store).healthy()).isTrue();
        assertThat(Files.readString(outside)).isEqualTo("keep me");
        assertThat(Files.isSymbolicLink(keyDir(dir).resolve("state.json.tmp"))).isFalse();
        assertThat(RolloutStoreContract.increment(store, 1)).isZero();
    }

    @Test
    void aLinkInPlaceOfTheJournalIsReportedButNotTouched() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        Path real = Files.createDirectories(dir.resolve("outside")).resolve("journal.jsonl");
        Files.move(journal(dir), real);
        Files.createSymbolicLink(journal(dir), real);
        KeyHealth h = repair(store);
        assertThat(h.healthy()).isFalse();
        assertThat(h.findings()).anySatisfy(f -> assertThat(f.remedy()).startsWith("not repaired"));
        assertThat(Files.isSymbolicLink(journal(dir))).isTrue();
    }

    @Test
    void repairMakesWorldReadableStoreFilesTheOwnersOnly() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        Files.setPosixFilePermissions(journal(dir), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(only(store.check(KEY)).findings()).singleElement().satisfies(f -> assertThat(f.problem()).contains("others"));
        assertThat(repair(store).healthy()).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal(dir)))).isEqualTo("rw-------");
    }

    @Test
    void aMissingStateFileBesideOnlyAnOlderReleasesJournalCannotBeRebuiltAndSaysSo() throws Exception {
        JournalFiles.legacyStore(dir);
        Files.delete(state(dir));
        KeyHealth h = repair(new FileRolloutStore(dir));
        assertThat(h.healthy()).isFalse();
        assertThat(h.findings()).filteredOn(f -> !f.fixed()).singleElement()
                .satisfies(f -> assertThat(f.remedy()).contains("cannot be rebuilt", "older release"));
    }
}
