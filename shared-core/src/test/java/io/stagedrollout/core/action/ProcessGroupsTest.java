package io.stagedrollout.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Programs of gates and actions run in their own process group; nothing they start outlives them. */
class ProcessGroupsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void linux() {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs /proc");
        assumeTrue(ProcessGroups.available(), "needs setsid (util-linux)");
    }

    @net.jqwik.api.Property(tries = 500)
    void aTimeLimitIsWrittenInSecondsWithMilliseconds(@net.jqwik.api.ForAll @net.jqwik.api.constraints.LongRange(min = -5, max = 400_000_000_000L) long ms) {
        assertThat(ProcessGroups.seconds(Duration.ofMillis(ms)))
                .isEqualTo(String.format(java.util.Locale.ROOT, "%.3fs", Math.max(1, ms) / 1000.0));
    }

    Processes.Outcome run(String script, Duration timeout, Duration grace) throws InterruptedException {
        return Processes.run(List.of("sh", "-c", script), dir, System.getenv(), Map.of(), timeout, line -> {},
                new ProcessControl("test:" + System.nanoTime(), grace));
    }

    /** Whether a process runs (a zombie waiting to be reaped does not). */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[0];
            return !state.equals("Z") && !state.equals("X");
        } catch (Exception gone) {
            return false;
        }
    }

    long pidIn(String file) throws Exception {
        Path f = dir.resolve(file);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((!Files.exists(f) || Files.readString(f).isBlank()) && System.nanoTime() < deadline) Thread.sleep(10);
        return Long.parseLong(Files.readString(f).trim());
    }

    @Test
    void aBackgroundChildLeftByAProgramIsEndedWhenTheProgramExits() throws Exception {
        Processes.Outcome o = run("sleep 300 & echo $! > child.pid; exit 0", Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertThat(o.ok()).isTrue();
        assertThat(o.leftovers()).isEqualTo(1);
        assertThat(o.describe("sh")).contains("1 process it left running were ended");
        assertThat(running(pidIn("child.pid"))).isFalse();
    }

    @Test
    void aChildThatDetachedIntoItsOwnSessionIsStillFoundByItsTagAndEnded() throws Exception {
        Processes.Outcome o = run("setsid sh -c 'echo $$ > child.pid; exec sleep 300' & sleep 0.2; while [ ! -s child.pid ]; do sleep 0.05; done",
                Duration.ofSeconds(30), Duration.ofSeconds(5));
        assertThat(o.ok()).isTrue();
        assertThat(running(pidIn("child.pid"))).isFalse();
    }

    @Test
    void theProgramDoesNotRunInTheDriversProcessGroup() throws Exception {
        run("cut -d' ' -f5 /proc/$$/stat > group", Duration.ofSeconds(30), Duration.ofSeconds(5));
        long mine = Long.parseLong(Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ")[2]);
        assertThat(pidIn("group")).isNotEqualTo(mine);
    }

    @Test
    void aProgramPastItsTimeLimitIsEndedWithEverythingItStarted() throws Exception {
        Processes.Outcome o = run("sleep 300 & echo $! > child.pid; sleep 300", Duration.ofMillis(1500), Duration.ofSeconds(2));
        assertThat(o.timedOut()).isTrue();
        assertThat(o.ok()).isFalse();
        assertThat(running(pidIn("child.pid"))).isFalse();
    }

    @Test
    void anInterruptedRunEndsTheWholeGroupBeforeItReturnsAndKillsWhatIgnoresSigterm() throws Exception {
        // trap '' TERM makes the shell and its children ignore SIGTERM: only the SIGKILL after the grace ends them
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                run("trap '' TERM; sleep 300 & echo $! > child.pid; echo $$ > main.pid; sleep 300", Duration.ofMinutes(5),
                        Duration.ofMillis(500));
                ended.complete(null);
            } catch (Throwable e) {
                ended.complete(e);
            }
        });
        t.start();
        long child = pidIn("child.pid");
        long main = pidIn("main.pid");
        t.interrupt();
        assertThat(ended.get(60, TimeUnit.SECONDS)).isInstanceOf(InterruptedException.class);
        assertThat(running(child)).isFalse();
        assertThat(running(main)).isFalse();
    }

    @Test
    void leftoversOfACrashedDriverAreFoundByTheirTagPrefixAndEnded() throws Exception {
        // a program started elsewhere (here: by this test, not through Processes) carrying a crashed effect's tag
        Process orphan = taggedSleep("deploy:checkout/production:r-1:7:abc");
        List<Long> before = new ArrayList<>(ProcessGroups.members(-1, t -> t.startsWith("deploy:checkout/production:r-1:"), 0));
        assertThat(before).contains(orphan.pid());
        assertThat(ProcessGroups.end(-1, t -> t.startsWith("deploy:checkout/production:r-1:"), Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(orphan.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSweepAfterThisJvmsOwnProgramLooksOnlyAtProcessesYoungerThanTheJvm() throws Exception {
        Process left = taggedSleep("deploy:checkout/production:r-2:1:own");
        java.util.function.Predicate<String> tag = t -> t.equals("deploy:checkout/production:r-2:1:own");

        assertThat(ProcessGroups.members(-1, tag, ProcessGroups.SELF_START)).as("started after this JVM").contains(left.pid());
        assertThat(ProcessGroups.members(-1, tag, Long.MAX_VALUE)).as("as if it were older than this JVM").doesNotContain(left.pid());
        assertThat(ProcessGroups.endStartedHere(-1, "deploy:checkout/production:r-2:1:own", Duration.ofSeconds(5))).isEqualTo(1);
        assertThat(left.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    /** A `sleep` in a session of its own carrying {@code tag}, once it runs as sleep. */
    private static Process taggedSleep(String tag) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("setsid", "sleep", "300");
        pb.environment().put(ProcessControl.TAG_VARIABLE, tag);
        Process p = pb.start();
        // wait until setsid has become sleep: while a process execs, its environment (the tag) can read as empty
        Path comm = Path.of("/proc/" + p.pid() + "/comm");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(comm).trim().equals("sleep") && System.nanoTime() < deadline) Thread.onSpinWait();
        return p;
    }

    @Test
    void aMissingProgramIsAStartErrorNotAnExitCode() throws Exception {
        Processes.Outcome o = Processes.run(List.of("./no-such-deploy.sh"), dir, System.getenv(), Map.of(),
                Duration.ofSeconds(5), line -> {});
        assertThat(o.startError()).contains("No such file");
        assertThat(o.describe("./no-such-deploy.sh")).startsWith("could not start ./no-such-deploy.sh");
    }
}
