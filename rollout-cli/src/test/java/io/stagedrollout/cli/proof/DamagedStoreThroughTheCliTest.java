package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.proof.MalformedStateCorpus;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15's store cases through the real JAR: damaged journals are reported with their line number and never cut,
 * a missing state.json is rebuilt from the journal, links and empty locations are refused, an invalid state.json is
 * refused naming the field, and `rollout store check|repair` explain and fix.
 */
class DamagedStoreThroughTheCliTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KEY = "checkout/production";

    @TempDir
    Path work;

    Path journal;
    Path state;

    @BeforeEach
    void paths() {
        journal = work.resolve(".rollout/checkout/production/journal.jsonl");
        state = work.resolve(".rollout/checkout/production/state.json");
    }

    /** Three rings, no bake, actions that log to actions.log. */
    private void plan() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 0s}
                  - {name: half, exposure: 50%, bake: 0s}
                  - {name: everyone, exposure: 100%, bake: 0s}
                actions:
                  deploy: {kind: command, command: ["sh", "-c", "echo \\"deploy $ROLLOUT_RING $ROLLOUT_VERSION\\" >> actions.log"]}
                  revert: {kind: command, command: ["sh", "-c", "echo \\"revert $ROLLOUT_VERSION\\" >> actions.log"]}
                """);
    }

    private Cli.Result rollout(String... args) throws Exception {
        return Cli.run(work, args);
    }

    private Cli.Result ok(String... args) throws Exception {
        Cli.Result r = rollout(args);
        assertThat(r.exit()).as("%s: %s", String.join(" ", args), r.all()).isZero();
        return r;
    }

    /** 1.0 completed (10 lines), then 2.0 started and through its canary (14 lines: one per commit). */
    private void twoRollouts() throws Exception {
        plan();
        ok("run", "plan.yaml", "--version", "1.0");
        ok("start", "plan.yaml", "--version", "2.0");
        Cli.Result r = rollout("advance", "--rollout", KEY);
        assertThat(r.exit()).as(r.all()).isIn(0, 4);
        assertThat(Files.readAllLines(journal)).hasSize(14);
    }

    private static void changeOneDigit(Path file, int line) throws Exception {
        byte[] b = Files.readAllBytes(file);
        int n = 1;
        int i = 0;
        while (n < line) if (b[i++] == '\n') n++;
        int at = new String(b, StandardCharsets.ISO_8859_1).indexOf("\"updatedAt\":\"2", i) + 14;
        b[at] = (byte) (b[at] == '7' ? '8' : '7'); // still valid JSON, a different time
        Files.write(file, b);
    }

    @Test
    void aChangedByteInLineTwoMakesHistoryFailNamingTheLine() throws Exception {
        twoRollouts();
        changeOneDigit(journal, 2);
        Cli.Result h = rollout("history", "--rollout", KEY);
        assertThat(h.exit()).isEqualTo(1);
        assertThat(h.stderr()).contains("journal damaged at line 2").doesNotContain("Exception");
        assertThat(h.stdout()).isEmpty();
        JsonNode j = JSON.readTree(rollout("history", "--rollout", KEY, "--output", "json").stdout());
        assertThat(j.path("exitCode").asInt()).isEqualTo(1);
        assertThat(j.path("message").asText()).contains("journal damaged at line 2");
    }

    @Test
    void aTornTailAfterDamageThenPromoteKeepsEveryCommittedLine() throws Exception {
        twoRollouts();
        changeOneDigit(journal, 2);
        List<String> before = Files.readAllLines(journal);
        Files.writeString(journal, "{\"rev\":15,\"state\":{\"id\":\"r-", StandardOpenOption.APPEND);
        Cli.Result r = rollout("rollback", "--rollout", KEY, "--reason", "p99 up");
        assertThat(r.exit()).as(r.all()).isZero();
        List<String> after = Files.readAllLines(journal);
        assertThat(after.size()).isGreaterThan(before.size());
        assertThat(after.subList(0, before.size())).as("every committed line kept, byte for byte").isEqualTo(before);
        assertThat(String.join("\n", after)).doesNotContain("{\"rev\":15,\"state\":{\"id\":\"r-{");
    }

    @Test
    void aMissingStateFileIsRebuiltAndStartRemembersTheRolledBackVersion() throws Exception {
        plan();
        ok("run", "plan.yaml", "--version", "1.0");
        ok("start", "plan.yaml", "--version", "2.0");
        rollout("advance", "--rollout", KEY);
        ok("rollback", "--rollout", KEY, "--reason", "p99 up");
        List<String> before = Files.readAllLines(journal);
        Files.delete(state);

        Cli.Result status = ok("status", "--rollout", KEY, "--output", "json");
        assertThat(JSON.readTree(status.stdout()).path("rollout").path("status").asText()).isEqualTo("ROLLED_BACK");
        Cli.Result start = ok("start", "plan.yaml", "--version", "3.0", "--output", "json");
        JsonNode rollout = JSON.readTree(start.stdout()).path("rollout");
        assertThat(rollout.path("stableVersion").asText()).isEqualTo("1.0");
        List<String> after = Files.readAllLines(journal);
        assertThat(after.subList(0, before.size())).isEqualTo(before);
        assertThat(after).hasSize(before.size() + 1);
        String history = ok("history", "--rollout", KEY).stdout();
        assertThat(history).contains("ROLLED_BACK").contains("rolled back to 1.0");
    }

    @Test
    void aJournalOverTwoGibibytesDoesNotStopCommits() throws Exception {
        plan();
        ok("start", "plan.yaml", "--version", "2.0");
        long big = 2_200_000_000L;
        try (RandomAccessFile f = new RandomAccessFile(journal.toFile(), "rw")) {
            f.setLength(big); // sparse: the bytes before are the committed history the state file vouches for
        }
        String s = Files.readString(state);
        Files.writeString(state, s.replaceFirst("\"journal\":\\{\"bytes\":\\d+,\"lines\":\\d+}", "\"journal\":{\"bytes\":" + big + ",\"lines\":1}"));
        Files.writeString(journal, "{\"rev\":2,\"sta", StandardOpenOption.APPEND); // and a torn line after it
        ok("abort", "--rollout", KEY, "--reason", "big journal");
        Cli.Result status = ok("status", "--rollout", KEY, "--output", "json");
        assertThat(JSON.readTree(status.stdout()).path("rollout").path("status").asText()).isEqualTo("ABORTED");
        assertThat(Files.size(journal)).isGreaterThan(big + 100);
    }

    @Test
    void storeCheckExplainsAndRepairFixesWithoutLosingAnEvent() throws Exception {
        twoRollouts();
        int events = JSON.readTree(ok("history", "--rollout", KEY, "--output", "json").stdout()).path("events").size();
        changeOneDigit(journal, 2);
        byte[] damaged = Files.readAllBytes(journal);

        Cli.Result check = rollout("store", "check");
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.stdout()).contains("checkout/production: 1 problem").contains("journal.jsonl line 2: its checksum does not match");
        assertThat(Files.readAllBytes(journal)).as("check changes nothing").isEqualTo(damaged);

        Cli.Result repair = rollout("store", "repair", "--rollout", KEY, "--output", "json");
        assertThat(repair.exit()).as(repair.all()).isZero();
        JsonNode k = JSON.readTree(repair.stdout()).path("keys").get(0);
        assertThat(k.path("healthy").asBoolean()).isTrue();
        assertThat(k.path("findings").get(0).path("line").asInt()).isEqualTo(2);
        String backup = k.path("findings").get(0).path("remedy").asText().replaceAll(".*(journal\\.jsonl\\.damaged-\\S+).*", "$1");
        assertThat(Files.readAllBytes(journal.resolveSibling(backup))).isEqualTo(damaged);

        JsonNode h = JSON.readTree(ok("history", "--rollout", KEY, "--output", "json").stdout()).path("events");
        assertThat(h.size()).as("every event kept, plus the JOURNAL_DAMAGED line").isEqualTo(events + 1);
        assertThat(h.get(1).path("type").asText()).isEqualTo("JOURNAL_DAMAGED");
        assertThat(ok("store", "check").stdout()).contains("checkout/production: ok");
        Cli.Result next = rollout("advance", "--rollout", KEY);
        assertThat(next.exit()).as(next.all()).isIn(0, 4);
    }

    @Test
    void anInvalidStateFileIsRefusedOnOneLineAndNothingRuns() throws Exception {
        plan();
        ok("start", "plan.yaml", "--version", "2.0");
        Files.writeString(state, Files.readString(state).replace("\"ringIndex\":-1", "\"ringIndex\":-3"));
        for (String[] cmd : List.of(new String[] {"status", "--rollout", KEY}, new String[] {"advance", "--rollout", KEY},
                new String[] {"rollback", "--rollout", KEY, "--reason", "x"}, new String[] {"list"})) {
            Cli.Result r = rollout(cmd);
            assertThat(r.exit()).as(String.join(" ", cmd)).isEqualTo(1);
            assertThat(r.stderr().strip()).as(String.join(" ", cmd))
                    .startsWith("store error: the state file " + state.toRealPath() + " is not valid: field ringIndex: is -3,")
                    .doesNotContain("Exception", "java.", "\n");
        }
        assertThat(work.resolve("actions.log")).as("no deploy, no revert").doesNotExist();
    }

    @Test
    void theStateFileCorpusIsRefusedThroughTheJar() throws Exception {
        plan();
        ok("start", "plan.yaml", "--version", "2.0");
        List<String> failures = new ArrayList<>();
        for (MalformedStateCorpus.Entry e : MalformedStateCorpus.entries()) {
            Files.write(state, e.bytes());
            Cli.Result r = rollout("status", "--rollout", KEY);
            String err = r.stderr().strip();
            if (r.exit() != 1 || !err.contains(e.mustName()) || err.contains("\n") || err.contains("Exception")) {
                failures.add(e.file() + ": exit " + r.exit() + ": " + err);
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void aLinkInPlaceOfTheTemporaryStateFileIsRefusedAndItsTargetUntouched() throws Exception {
        plan();
        ok("start", "plan.yaml", "--version", "2.0");
        Path precious = Files.writeString(work.resolve("precious.txt"), "keep me");
        Files.createSymbolicLink(state.resolveSibling("state.json.tmp"), precious);
        Cli.Result r = rollout("abort", "--rollout", KEY, "--reason", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("symbolic link").contains("state.json.tmp");
        assertThat(Files.readString(precious)).isEqualTo("keep me");
        assertThat(ok("store", "repair").stdout()).contains("removed the link");
        ok("abort", "--rollout", KEY, "--reason", "x");
        assertThat(Files.readString(precious)).isEqualTo("keep me");
    }

    @Test
    void aLinkInPlaceOfTheLockIsRefusedAndCreatesNothingOutside() throws Exception {
        plan();
        ok("start", "plan.yaml", "--version", "2.0");
        Path outside = work.resolve("outside-lock");
        Path lock = state.resolveSibling(".lock");
        Files.delete(lock);
        Files.createSymbolicLink(lock, outside);
        Cli.Result r = rollout("abort", "--rollout", KEY, "--reason", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stderr()).contains("symbolic link").contains(".lock");
        assertThat(Files.exists(outside, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void emptyStoreLocationsAreRefusedNamingTheOptionAndNothingIsWrittenHere() throws Exception {
        plan();
        List<String[]> cases = List.of(new String[] {"--state-dir", ""}, new String[] {"--state-dir="}, new String[] {"--store", ""},
                new String[] {"--store", "file:"});
        for (String[] opt : cases) {
            List<String> args = new ArrayList<>(List.of("start", "plan.yaml", "--version", "2.0"));
            args.addAll(List.of(opt));
            Cli.Result r = rollout(args.toArray(String[]::new));
            assertThat(r.exit()).as(String.join(" ", opt)).isEqualTo(2);
            assertThat(r.stderr()).contains(opt[0].replace("=", "")).contains("is empty");
        }
        for (String var : List.of("ROLLOUT_STATE_DIR", "ROLLOUT_STORE")) {
            Cli.Result r = Cli.run(work, Map.of(var, ""), 120, "start", "plan.yaml", "--version", "2.0");
            assertThat(r.exit()).as(var).isEqualTo(2);
            assertThat(r.stderr()).contains(var).contains("empty");
        }
        try (var files = Files.list(work)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("plan.yaml");
        }
    }

    @Test
    void anOlderReleasesStoreReadsAndContinues() throws Exception {
        Path dir = Files.createDirectories(work.resolve(".rollout/checkout/production"));
        for (String f : List.of("state.json", "journal.jsonl")) {
            try (InputStream in = getClass().getResourceAsStream("/legacy-store/checkout/production/" + f)) {
                Files.copy(in, dir.resolve(f));
            }
        }
        try (InputStream in = getClass().getResourceAsStream("/legacy-store/plan.yaml")) {
            Files.copy(in, work.resolve("plan.yaml"));
        }
        assertThat(JSON.readTree(ok("history", "--rollout", KEY, "--output", "json").stdout()).path("events").size()).isEqualTo(22);
        Cli.Result start = ok("start", "plan.yaml", "--version", "3.0", "--output", "json");
        assertThat(JSON.readTree(start.stdout()).path("rollout").path("stableVersion").asText()).isEqualTo("1.0");
        assertThat(JSON.readTree(ok("history", "--rollout", KEY, "--output", "json").stdout()).path("events").size()).isEqualTo(23);
        assertThat(ok("store", "repair").stdout()).doesNotContain("problem");
        assertThat(ok("store", "check").stdout()).contains("checkout/production: ok");
    }

    @Test
    void listShowsEveryKeyFromSummariesAndCatchesUpAStateFileBehindItsJournal() throws Exception {
        plan();
        ok("run", "plan.yaml", "--version", "1.0");
        byte[] older = Files.readAllBytes(state);
        ok("start", "plan.yaml", "--version", "2.0");
        Files.write(state, older); // as if `start` died between its journal line and its state file
        String list = ok("list").stdout();
        assertThat(list).contains("checkout/production").contains("2.0").contains("PENDING");
        assertThat(ok("list", "--active").stdout()).contains("checkout/production");
        JsonNode j = JSON.readTree(ok("list", "--output", "json").stdout());
        assertThat(j.path("rollouts").get(0).path("version").asText()).isEqualTo("2.0");
    }
}
