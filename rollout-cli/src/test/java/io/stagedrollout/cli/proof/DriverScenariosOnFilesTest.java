package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver scenarios on the file store, and those that do not depend on the store. */
class DriverScenariosOnFilesTest extends DriverScenarios {
    @Override
    String location() {
        return work.resolve(".rollout").toString();
    }

    @Override
    Map<String, String> storeEnv() {
        return Map.of();
    }

    @Override
    RolloutStore openStore() {
        return new FileRolloutStore(Path.of(location()));
    }

    @Test
    void aStaleAutoApprovingRunStopsWhenItsRolloutIsReplacedAndNeverDrivesTheNewerOne() throws Exception {
        Files.writeString(work.resolve("auto.yaml"), plan(0.1, "5m", ""));
        Files.writeString(work.resolve("manual.yaml"), plan(0.1, "0s", "").replace("exposure: 10%,", "exposure: 10%, approval: manual,")
                .replace("exposure: 50%,", "exposure: 50%, approval: manual,"));
        Cli.Running old = background("run", "auto.yaml", "--version", "2.0", "--stable-version", "1.0", "--auto-approve");
        awaitLog("end deploy canary 2.0", old);
        String oldId = state().id();

        assertThat(cli("abort", "--rollout", key.toString(), "--rollout-id", oldId, "--reason", "superseded").exit()).isZero();
        assertThat(cli("start", "manual.yaml", "--version", "2.1").exit()).isZero();
        Cli.Result stale = old.await(60);

        assertThat(stale.exit()).as(stale.all()).isIn(3, 5);
        String newId = state().id();
        assertThat(state().status().name()).isEqualTo("PENDING");
        assertThat(log()).noneMatch(l -> l.contains(" 2.1 "));
        assertThat(history()).filteredOn(e -> e.rolloutId().equals(newId)).extracting(e -> e.type()).containsExactly("STARTED");
        // the newer rollout is driven by its own driver, and waits for its person at the manual canary
        Cli.Result advance = cli("advance", "--rollout", key.toString(), "--rollout-id", newId, "--lease-wait", "0s");
        assertThat(advance.exit()).as(advance.all()).isEqualTo(4);
        assertThat(state().status().name()).isEqualTo("AWAITING_APPROVAL");
    }

    @Test
    void theRetryGuardCoversTheKeysWholeHistoryAndAPaddedVersionIsInvalid() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), plan(0.1, "0s", ""));
        assertThat(cli("start", "plan.yaml", "--version", "3.0", "--stable-version", "2.0").exit()).isZero();
        assertThat(cli("rollback", "--rollout", key.toString(), "--reason", "bad").exit()).isZero();
        assertThat(cli("start", "plan.yaml", "--version", "3.1").exit()).isZero();
        assertThat(cli("abort", "--rollout", key.toString(), "--reason", "other").exit()).isZero();

        Cli.Result again = cli("start", "plan.yaml", "--version", "3.0");
        Cli.Result padded = cli("start", "plan.yaml", "--version", "3.0 ");
        Cli.Result retried = cli("start", "plan.yaml", "--version", "3.0", "--retry");

        assertThat(again.exit()).as(again.all()).isEqualTo(5);
        assertThat(again.stderr()).contains("3.0 was rolled back").contains("retry");
        assertThat(padded.exit()).as(padded.all()).isEqualTo(2);
        assertThat(padded.stderr()).contains("--version").contains("white space");
        assertThat(retried.exit()).as(retried.all()).isZero();
        assertThat(state().version()).isEqualTo("3.0");
        assertThat(state().stableVersion()).isEqualTo("2.0");
    }

    @Test
    void whatACommandGateOrADeployLeavesInTheBackgroundDoesNotOutliveIt() throws Exception {
        Files.writeString(work.resolve("plan.yaml"), """
                service: shop
                environment: ENV
                rings:
                  - {name: everyone, exposure: 100%, bake: 0s, gates: [leaky]}
                gates:
                  leaky: {kind: command, command: [sh, -c, 'sleep 300 & echo $! >> children; exit 0'], count: 2, interval: 100ms}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'sleep 300 & echo $! >> children; echo deployed >> actions.log']}
                  revert: {kind: command, command: [sh, -c, 'echo reverted >> actions.log']}
                """.replace("ENV", key.environment()));

        Cli.Result r = cli("run", "plan.yaml", "--version", "2.0", "--stable-version", "1.0");

        assertThat(r.exit()).as(r.all()).isZero();
        List<String> children = Files.readAllLines(work.resolve("children"));
        assertThat(children).hasSize(3);
        for (String pid : children) {
            assertThat(running(Long.parseLong(pid.trim()))).as("background child %s", pid).isFalse();
        }
    }

    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            char state = stat.charAt(stat.lastIndexOf(')') + 2);
            return state != 'Z' && state != 'X';
        } catch (Exception gone) {
            return false;
        }
    }
}
