package io.stagedrollout.core.store;

import static io.stagedrollout.core.store.JournalFiles.KEY;
import static io.stagedrollout.core.store.JournalFiles.journal;
import static io.stagedrollout.core.store.JournalFiles.keyDir;
import static io.stagedrollout.core.store.JournalFiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nothing in the state directory is opened through a link; store files are the owner's only. */
class FileStoreLinksTest {
    @TempDir
    Path dir;

    private Path outside() throws Exception {
        return Files.createDirectories(dir.resolve("outside"));
    }

    private void assertCommitRefusedAndOutsideUntouched(FileRolloutStore store, Path link, Path target) throws Exception {
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        byte[] before = existed ? Files.readAllBytes(target) : null;
        long lines = Files.isRegularFile(journal(dir), LinkOption.NOFOLLOW_LINKS) ? JournalFiles.lines(journal(dir)).size() : -1;
        assertThatThrownBy(() -> RolloutStoreContract.increment(store, 1)).isInstanceOf(RolloutStore.StoreException.class)
                .hasMessageContaining("refusing to use " + link).hasMessageContaining("symbolic link");
        if (existed) assertThat(Files.readAllBytes(target)).isEqualTo(before);
        else assertThat(target).doesNotExist();
        if (lines >= 0) assertThat(JournalFiles.lines(journal(dir))).as("nothing committed").hasSize((int) lines);
    }

    @Test
    void aLinkInPlaceOfTheTemporaryStateFileIsRefusedAndItsTargetNeverWritten() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        Path target = Files.writeString(outside().resolve("precious"), "keep me");
        Path link = Files.createSymbolicLink(keyDir(dir).resolve("state.json.tmp"), target);
        assertCommitRefusedAndOutsideUntouched(store, link, target);
    }

    @Test
    void aLinkInPlaceOfTheJournalIsRefused() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        Path target = outside().resolve("journal.jsonl");
        Files.move(journal(dir), target);
        Files.createSymbolicLink(journal(dir), target);
        assertCommitRefusedAndOutsideUntouched(store, journal(dir), target);
        assertThatThrownBy(() -> store.history(KEY)).hasMessageContaining("symbolic link");
    }

    @Test
    void aLinkInPlaceOfTheLockIsRefusedAndNoFileIsCreatedOutside() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        Path target = outside().resolve("created-by-the-store");
        Files.delete(keyDir(dir).resolve(".lock"));
        Files.createSymbolicLink(keyDir(dir).resolve(".lock"), target);
        assertCommitRefusedAndOutsideUntouched(store, keyDir(dir).resolve(".lock"), target);
    }

    @Test
    void aLinkInPlaceOfTheStateFileIsRefused() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        Path target = outside().resolve("state.json");
        Files.move(state(dir), target);
        Files.createSymbolicLink(state(dir), target);
        assertThatThrownBy(() -> store.read(KEY)).hasMessageContaining("refusing to use " + state(dir)).hasMessageContaining("symbolic link");
    }

    @Test
    void aLinkInPlaceOfAKeyDirectoryIsRefusedByEveryCommandAndByList() throws Exception {
        Path elsewhere = Files.createDirectories(outside().resolve("production"));
        Files.createDirectories(dir.resolve("checkout"));
        Files.createSymbolicLink(keyDir(dir), elsewhere);
        FileRolloutStore store = new FileRolloutStore(dir);
        var s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        assertThatThrownBy(() -> store.commit(KEY, 0, s, List.of())).hasMessageContaining("symbolic link");
        assertThatThrownBy(store::list).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.read(KEY)).hasMessageContaining("symbolic link");
        try (var files = Files.list(elsewhere)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aLinkInPlaceOfAServiceDirectoryIsRefused() throws Exception {
        Path elsewhere = outside();
        Files.createSymbolicLink(dir.resolve("checkout"), elsewhere);
        FileRolloutStore store = new FileRolloutStore(dir);
        var s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        assertThatThrownBy(() -> store.commit(KEY, 0, s, List.of())).hasMessageContaining("symbolic link");
        assertThat(elsewhere.resolve("production")).doesNotExist();
    }

    @Test
    void storeFilesAreTheOwnersOnlyAndSoAreTheDirectoriesTheStoreCreates() throws Exception {
        JournalFiles.committed(dir.resolve("root"), 2);
        Path root = dir.resolve("root");
        for (Path f : List.of(state(root), journal(root), keyDir(root).resolve(".lock"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        for (Path d : List.of(root, root.resolve("checkout"), keyDir(root))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).as(d.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void anOlderReleasesWorldReadableJournalIsMadeTheOwnersOnlyByTheNextCommit() throws Exception {
        JournalFiles.legacyStore(dir);
        Files.setPosixFilePermissions(journal(dir), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(state(dir), PosixFilePermissions.fromString("rw-r--r--"));
        FileRolloutStore store = new FileRolloutStore(dir);
        var s = store.read(KEY).orElseThrow();
        store.commit(KEY, s.revision(), s.atRevision(s.revision() + 1), List.of());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(journal(dir)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state(dir)))).isEqualTo("rw-------");
    }
}
