package io.stagedrollout.core.store;

import static io.stagedrollout.core.store.JournalFiles.KEY;
import static io.stagedrollout.core.store.JournalFiles.journal;
import static io.stagedrollout.core.store.JournalFiles.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stagedrollout.core.proof.MalformedStateCorpus;
import io.stagedrollout.core.testing.RolloutStoreContract;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A hand-edited or damaged state.json (the corpus in {@code malformed-states/}) is refused with one line naming the
 * file and the field — no Java exception or class name — and nothing is acted upon: no commit, the journal
 * untouched.
 */
class StateFileValidationTest {
    @TempDir
    Path dir;

    static List<MalformedStateCorpus.Entry> corpus() {
        return MalformedStateCorpus.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void anInvalidStateFileIsRefusedNamingTheFileAndTheField(MalformedStateCorpus.Entry entry) throws Exception {
        JournalFiles.legacyStore(dir);
        Files.write(state(dir), entry.bytes());
        FileRolloutStore store = new FileRolloutStore(dir);
        byte[] journal = Files.readAllBytes(journal(dir));

        Throwable read = catchThrowable(() -> store.read(KEY));
        assertThat(read).isInstanceOf(RolloutStore.StoreException.class)
                .hasMessageStartingWith("the state file " + state(dir) + " is not valid: ")
                .hasMessageContaining(entry.mustName());
        assertThat(read.getMessage()).doesNotContain("Exception", "java.", "io.stagedrollout", "\n", "\r");
        assertThat(catchThrowable(() -> RolloutStoreContract.increment(store, 1))).hasMessage(read.getMessage());
        assertThat(catchThrowable(store::list)).hasMessage(read.getMessage());
        // a listing checks the fields it shows (the rest may read back as a summary); it never fails otherwise
        try {
            assertThat(store.summaries()).extracting(RolloutSummary::key).containsExactly("checkout/production");
        } catch (RolloutStore.StoreException e) {
            assertThat(e).hasMessage(read.getMessage());
        }
        assertThat(catchThrowable(() -> store.history(KEY))).hasMessage(read.getMessage());
        assertThat(Files.readAllBytes(journal(dir))).isEqualTo(journal);
        assertThat(Files.readAllBytes(state(dir))).isEqualTo(entry.bytes());
    }

    @Test
    void aStateFileOverTheSizeLimitIsNotRead() throws Exception {
        FileRolloutStore store = JournalFiles.committed(dir, 1);
        try (var f = new java.io.RandomAccessFile(state(dir).toFile(), "rw")) {
            f.setLength(17L * 1024 * 1024);
        }
        assertThat(catchThrowable(() -> store.read(KEY))).hasMessageContaining("refusing to read " + state(dir))
                .hasMessageContaining("more than the 16777216");
    }
}
