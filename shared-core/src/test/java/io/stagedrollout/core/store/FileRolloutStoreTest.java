package io.stagedrollout.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.StoreWriterMain;
import io.stagedrollout.core.testing.TestRollouts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileRolloutStoreTest extends RolloutStoreContract {
    @TempDir
    Path dir;

    @Override
    protected RolloutStore newStore() {
        return new FileRolloutStore(dir);
    }

    @Override
    protected String processLocation() {
        return dir.toString();
    }

    @Test
    void aTornLastJournalLineFromACrashIsIgnoredAndDroppedByTheNextCommit() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(startEvent(s)));
        increment(store, 2);
        Path journal = dir.resolve("checkout/production/journal.jsonl");
        Files.writeString(journal, "{\"rev\":4,\"state\":{\"id", StandardOpenOption.APPEND);
        assertThat(store.history(KEY)).hasSize(3);
        increment(store, 1);
        assertConsistent(4);
        assertThat(Files.readAllLines(journal, StandardCharsets.UTF_8)).hasSize(4);
    }

    @Test
    void aWriterKilledAtRandomPointsNeverLeavesTornState() throws Exception {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(startEvent(s)));
        Random random = new Random(42);
        for (int run = 0; run < Integer.getInteger("crash.runs", 4); run++) {
            long revision0 = store.read(KEY).orElseThrow().revision();
            Process p = StoreWriterMain.spawn(dir.toString(), 0);
            // kill it at a random moment once it is committing (JVM start-up is slow on a loaded machine)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (store.read(KEY).orElseThrow().revision() == revision0 && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(random.nextInt(200));
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flushing
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
            long revision = store.read(KEY).orElseThrow().revision();
            assertConsistent(revision);
        }
        long before = store.read(KEY).orElseThrow().revision();
        assertThat(before).as("the killed writers committed something").isGreaterThan(1);
        increment(store, 1);
        assertConsistent(before + 1);
    }

    private static RolloutEvent startEvent(RolloutState s) {
        return new RolloutEvent(1, s.id(), s.updatedAt(), "start", null, null, s.status(), null, "", null);
    }

    @Test
    void noKeyCanAddressAPathOutsideTheStateDirectory() {
        for (String bad : List.of("../etc/passwd", "/etc/passwd", "a/../../b", "checkout/..", "../x/y", "a\u0000b/c", "A/b")) {
            assertThatThrownBy(() -> RolloutKey.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> new RolloutKey("..", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RolloutKey(".hidden", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listSkipsDirectoriesThatAreNotRolloutKeys() throws Exception {
        Files.createDirectories(dir.resolve("Not A Key/prod"));
        Files.writeString(dir.resolve("demo-plan.yaml"), "x");
        assertThat(store.list()).isEmpty();
    }
}
