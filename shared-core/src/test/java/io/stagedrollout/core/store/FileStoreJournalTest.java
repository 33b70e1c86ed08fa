package io.stagedrollout.core.store;

import static io.stagedrollout.core.store.JournalFiles.KEY;
import static io.stagedrollout.core.store.JournalFiles.append;
import static io.stagedrollout.core.store.JournalFiles.journal;
import static io.stagedrollout.core.store.JournalFiles.lines;
import static io.stagedrollout.core.store.JournalFiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.TestRollouts;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal is the source of truth: committed lines are never cut, damage is reported with its line number. */
class FileStoreJournalTest {
    @TempDir
    Path dir;

    @Test
    void eachCommitIsOneChecksummedLineHoldingItsRevisionStateAndEvents() throws Exception {
        JournalFiles.committed(dir, 3);
        List<String> lines = lines(journal(dir));
        assertThat(lines).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i)).startsWith("{\"rev\":" + (i + 1) + ",\"state\":{").contains("\"events\":[")
                    .containsPattern(",\"sum\":\"crc32c:[0-9a-f]{8}\"}$");
        }
    }

    @Test
    void theFirstLineOfARolloutCarriesThePlanAndLaterLinesLeaveTheUnchangedPlanOut() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        RolloutState other = TestRollouts.started(TestRollouts.plan(TestRollouts.THREE_RINGS.replace("bake: 1m", "bake: 2m")), "3.0.0")
                .atRevision(3);
        store.commit(KEY, 2, other, List.of(JournalFiles.event(other, "STARTED")));
        List<String> lines = lines(journal(dir));
        assertThat(lines.get(0)).contains("\"plan\":{");
        assertThat(lines.get(1)).doesNotContain("\"plan\":");
        assertThat(lines.get(2)).as("a new plan").contains("\"plan\":{");
        Files.delete(state(dir));
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).as("rebuilt with its plan").isEqualTo(StateJson.write(other));
    }

    @Test
    void aChangedByteInACommittedLineIsReportedWithItsLineNumberEvenWhenTheJsonStaysValid() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 13);
        JournalFiles.changeADigit(journal(dir), 2);
        assertThatThrownBy(() -> store.history(KEY)).isInstanceOf(JournalDamagedException.class)
                .hasMessageContaining("journal damaged at line 2 of " + journal(dir))
                .hasMessageContaining("checksum does not match")
                .satisfies(e -> assertThat(((JournalDamagedException) e).line()).isEqualTo(2));
    }

    @Test
    void aTornLastLineIsIgnoredByReadersAndOnlyItIsDroppedByTheNextCommit() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 3);
        append(journal(dir), "{\"rev\":4,\"state\":{\"id\":\"r-");
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(3);
        assertThat(store.history(KEY)).hasSize(3);
        RolloutStoreContract.increment(store, 1);
        assertThat(lines(journal(dir))).hasSize(4).allSatisfy(l -> assertThat(l).contains("\"sum\":\"crc32c:"));
        assertThat(store.history(KEY)).extracting(RolloutEvent::revision).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aTornTailAfterADamagedLineDropsOnlyTheTornLineAndKeepsEveryCommittedOne() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 13);
        JournalFiles.flipByte(journal(dir), 2, 1); // the quote of "rev": no longer JSON
        List<String> before = lines(journal(dir));
        append(journal(dir), "{\"rev\":14,\"sta");
        RolloutStoreContract.increment(store, 1);
        List<String> after = lines(journal(dir));
        assertThat(after).hasSize(14);
        assertThat(after.subList(0, 13)).isEqualTo(before);
        assertThatThrownBy(() -> store.history(KEY)).hasMessageContaining("journal damaged at line 2");
    }

    @Test
    void aStateFileBehindTheJournalIsCaughtUpFromTheJournal() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        byte[] older = Files.readAllBytes(state(dir));
        RolloutStoreContract.increment(store, 1);
        RolloutState latest = store.read(KEY).orElseThrow();
        Files.write(state(dir), older); // as if the commit died after its journal line, before the rename
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(StateJson.write(latest));
        assertThat(RolloutStoreContract.increment(store, 1)).isZero();
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(4);
        assertThat(lines(journal(dir))).hasSize(4);
    }

    @Test
    void aMissingStateFileIsRebuiltFromTheJournalAndTheJournalKeepsItsLines() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 15);
        RolloutState latest = store.read(KEY).orElseThrow();
        Files.delete(state(dir));
        assertThat(StateJson.write(store.read(KEY).orElseThrow())).isEqualTo(StateJson.write(latest));
        RolloutState next = TestRollouts.started(TestRollouts.threeRings(), "3.0.0").atRevision(16);
        assertThatThrownBy(() -> store.commit(KEY, 0, next.atRevision(1), List.of()))
                .as("a writer that believes the key is empty conflicts").isInstanceOf(RolloutStore.ConflictException.class);
        store.commit(KEY, 15, next, List.of(JournalFiles.event(next, "STARTED")));
        assertThat(lines(journal(dir))).hasSize(16);
        assertThat(store.history(KEY)).hasSize(16);
    }

    @Test
    void aJournalShorterThanTheStateFileSaysIsReportedAndNeverOverwritten() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 5);
        List<String> lines = lines(journal(dir));
        Files.writeString(journal(dir), String.join("\n", lines.subList(0, 3)) + "\n");
        byte[] cut = Files.readAllBytes(journal(dir));
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(JournalDamagedException.class)
                .hasMessageContaining("committed lines were cut off");
        assertThatThrownBy(() -> RolloutStoreContract.increment(store, 1)).isInstanceOf(JournalDamagedException.class);
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(cut);
    }

    @Test
    void aDeletedJournalIsReportedNotRestartedFromRevisionOne() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 3);
        Files.delete(journal(dir));
        assertThatThrownBy(() -> store.read(KEY)).isInstanceOf(JournalDamagedException.class).hasMessageContaining("it is missing");
        assertThat(journal(dir)).doesNotExist();
    }

    @Test
    void aLineOutOfRevisionOrderIsDamage() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 4);
        List<String> lines = lines(journal(dir));
        Files.writeString(journal(dir), String.join("\n", List.of(lines.get(0), lines.get(2), lines.get(1), lines.get(3))) + "\n");
        assertThatThrownBy(() -> store.history(KEY)).hasMessageContaining("journal damaged at line 2")
                .hasMessageContaining("revision 3 does not follow revision 1");
    }

    @Test
    void aJournalOverTwoGibibytesStillCommitsAndReadsItsTailOnly() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        // the state file vouches for a journal of 2.2 GiB (sparse: the bytes before are never read on this path)
        long big = 2_200_000_000L + 7;
        try (RandomAccessFile f = new RandomAccessFile(journal(dir).toFile(), "rw")) {
            f.setLength(big);
        }
        String s = Files.readString(state(dir));
        Files.writeString(state(dir), s.replaceFirst("\"journal\":\\{\"bytes\":\\d+,\"lines\":\\d+}", "\"journal\":{\"bytes\":" + big + ",\"lines\":1}"));
        append(journal(dir), "{\"rev\":2,\"state\":{\"id"); // and a torn line after it
        RolloutStoreContract.increment(store, 2);
        assertThat(store.read(KEY).orElseThrow().revision()).isEqualTo(3);
        assertThat(Files.size(journal(dir))).isGreaterThan(big);
        try (RandomAccessFile f = new RandomAccessFile(journal(dir).toFile(), "r")) {
            f.seek(big);
            assertThat(f.readLine()).startsWith("{\"rev\":2,\"state\":{").doesNotContain("\"rev\":2,\"state\":{\"id{");
        }
    }

    @Test
    void aLineOverTheLimitIsNeverWritten() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        RolloutState s = store.read(KEY).orElseThrow().atRevision(2);
        RolloutEvent huge = new RolloutEvent(2, s.id(), s.updatedAt(), "HUGE", null, null, null, null, "x".repeat(17 * 1024 * 1024), null);
        assertThatThrownBy(() -> store.commit(KEY, 1, s, List.of(huge))).hasMessageContaining("more than the 16777216 a line may hold");
        assertThat(lines(journal(dir))).hasSize(1);
    }

    @Test
    void anOlderReleasesJournalIsReadAsItIsAndContinuedWithChecksummedLines() throws Exception {
        JournalFiles.legacyStore(dir);
        FileRolloutStore store = new FileRolloutStore(dir);
        List<RolloutEvent> before = store.history(KEY);
        assertThat(before).hasSize(22);
        RolloutState s = store.read(KEY).orElseThrow();
        assertThat(s.version()).isEqualTo("2.0");
        RolloutState next = s.atRevision(s.revision() + 1);
        store.commit(KEY, s.revision(), next, List.of(JournalFiles.event(next, "NOTE")));
        List<String> lines = lines(journal(dir));
        assertThat(lines).hasSize(23);
        assertThat(lines.get(22)).startsWith("{\"rev\":18,").contains("\"plan\":{");
        assertThat(store.history(KEY)).hasSize(23).startsWith(before.toArray(RolloutEvent[]::new));
        assertThat(Files.readString(state(dir))).startsWith("{\"journal\":{\"bytes\":");
    }

    @Test
    void anOlderReleasesUncommittedTailLinesAreDroppedByTheFirstCommit() throws Exception {
        JournalFiles.legacyStore(dir);
        FileRolloutStore store = new FileRolloutStore(dir);
        append(journal(dir), "{\"revision\":18,\"rolloutId\":\"r-ghost\",\"at\":\"2026-12-05T20:20:30Z\",\"type\":\"GHOST\"}\n");
        assertThat(JournalFiles.types(store.history(KEY))).doesNotContain("GHOST");
        RolloutState s = store.read(KEY).orElseThrow();
        store.commit(KEY, 17, s.atRevision(18), List.of(JournalFiles.event(s.atRevision(18), "NOTE")));
        assertThat(JournalFiles.types(store.history(KEY))).doesNotContain("GHOST").endsWith("NOTE");
        assertThat(lines(journal(dir))).hasSize(23);
    }

    @Test
    void aMissingStateFileBesideAnOlderReleasesJournalIsRefusedAndTheJournalKept() throws Exception {
        JournalFiles.legacyStore(dir);
        Files.delete(state(dir));
        byte[] journal = Files.readAllBytes(journal(dir));
        FileRolloutStore store = new FileRolloutStore(dir);
        assertThatThrownBy(() -> store.read(KEY)).hasMessageContaining("cannot be rebuilt").hasMessageContaining("22 events of an older release");
        RolloutState fresh = TestRollouts.started(TestRollouts.threeRings(), "3.0.0");
        assertThatThrownBy(() -> store.commit(KEY, 0, fresh, List.of())).hasMessageContaining("cannot be rebuilt");
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(journal);
    }

    @Test
    void aDamagedLineOfAnOlderReleasesJournalIsReported() throws Exception {
        JournalFiles.legacyStore(dir);
        JournalFiles.flipByte(journal(dir), 2, 1);
        assertThatThrownBy(() -> new FileRolloutStore(dir).history(KEY)).hasMessageContaining("journal damaged at line 2");
    }

    @Test
    void aStateFileOfAnOlderReleaseOverAJournalOfThisOneIsRefused() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 2);
        String s = Files.readString(state(dir), StandardCharsets.UTF_8).replaceFirst("\\{\"journal\":\\{[^}]*},", "{");
        Files.writeString(state(dir), s);
        assertThatThrownBy(() -> RolloutStoreContract.increment(store, 1)).hasMessageContaining("in an older release's form");
        assertThat(lines(journal(dir))).hasSize(2);
    }
}
