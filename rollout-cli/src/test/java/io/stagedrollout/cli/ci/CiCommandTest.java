package io.stagedrollout.cli.ci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CiCommandTest {
    private static CiCommand parsed(Map<String, String> env, String... args) {
        CiCommand c = new CiCommand(env, System.out, System.err);
        new CommandLine(c).parseArgs(args);
        return c;
    }

    private static CiCommand parsed(String... args) {
        return parsed(Map.of(), args);
    }

    @Test
    void startPassesPlanVersionAndStoreAndAsksForJson() {
        List<String> a = parsed("--command", "start", "--plan", "rollout.yaml", "--version", "abc",
                "--stable-version", "", "--rollout", "ignored/here", "--store", "/mnt/state").arguments();

        assertThat(a).containsExactly("start", "rollout.yaml", "--version", "abc", "--store", "/mnt/state",
                "--output", "json");
    }

    @Test
    void emptyInputsAreLeftOut() {
        List<String> a = parsed("--command", "advance", "--rollout", "checkout/production", "--ring", "",
                "--store", "", "--state-dir", "").arguments();

        assertThat(a).containsExactly("advance", "--rollout", "checkout/production", "--output", "json");
    }

    @Test
    void advanceChecksItsRingBeforeAndPassesNoRingToTheCli() {
        List<String> a = parsed("--command", "advance", "--rollout", "checkout/production", "--ring", "canary")
                .arguments();

        assertThat(a).containsExactly("advance", "--rollout", "checkout/production", "--output", "json");
    }

    @Test
    void promoteNamesTheRingItExpects() {
        List<String> a = parsed("--command", "promote", "--rollout", "checkout/production", "--ring", "canary")
                .arguments();

        assertThat(a).containsSubsequence("promote", "--rollout", "checkout/production", "--ring", "canary");
    }

    @Test
    void missingRequiredInputNamesTheOption() {
        assertThatThrownBy(() -> parsed("--command", "advance", "--rollout", " ").arguments())
                .hasMessage("--rollout is required for 'advance'");
        assertThatThrownBy(() -> parsed("--command", "start", "--plan", "p.yaml").arguments())
                .hasMessage("--version is required for 'start'");
    }

    @Test
    void unknownCommandIsRefused() {
        assertThatThrownBy(() -> parsed("--command", "deploy-everything").arguments())
                .hasMessageContaining("--command 'deploy-everything' is not one of");
    }

    @Test
    void rollbackWithoutReasonGetsOneNamingTheGitLabJob() {
        List<String> a = parsed(Map.of("GITLAB_CI", "true", "GITLAB_USER_LOGIN", "alice",
                        "CI_JOB_URL", "https://gitlab.example.com/acme/app/-/jobs/7"),
                "--command", "rollback", "--rollout", "checkout/production", "--reason", "").arguments();

        int i = a.indexOf("--reason");
        assertThat(a.get(i + 1)).contains("alice").contains("https://gitlab.example.com/acme/app/-/jobs/7");
    }

    @Test
    void valuesWithShellMetacharactersStayOneArgument() {
        List<String> a = parsed("--command", "rollback", "--rollout", "checkout/production",
                "--reason", "bad; rm -rf / $(id)").arguments();

        assertThat(a).contains("bad; rm -rf / $(id)");
    }

    @Test
    void flagsAreAddedOnlyWhenSetAndKnown() {
        assertThat(parsed("--command", "status", "--rollout", "a/b", "--flag", "wait", "--flag", "false", "--flag", "")
                .arguments()).containsExactly("status", "--rollout", "a/b", "--wait", "--output", "json");
        assertThatThrownBy(() -> parsed("--command", "status", "--rollout", "a/b", "--flag", "yolo").arguments())
                .hasMessageContaining("--flag 'yolo'");
    }

    @Test
    void badInputExitsTwoWithoutRunningAnything() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CiCommand c = new CiCommand(Map.of(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = new CommandLine(c).execute("--command", "advance");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--rollout is required");
    }

    @Test
    void forceIsPassedOnlyWhenTrueAndOnlyToPromote() {
        assertThat(parsed("--command", "promote", "--rollout", "a/b", "--ring", "canary", "--force", "true")
                .arguments()).contains("--force");
        assertThat(parsed("--command", "promote", "--rollout", "a/b", "--force", "false").arguments())
                .doesNotContain("--force");
        assertThatThrownBy(() -> parsed("--command", "advance", "--rollout", "a/b", "--force", "true").arguments())
                .hasMessageContaining("promote only");
        assertThatThrownBy(() -> parsed("--command", "promote", "--rollout", "a/b", "--force", "yes").arguments())
                .hasMessageContaining("--force 'yes'");
    }

    @Test
    void everyCommandOnAStartedRolloutIsBoundToThePipelinesRolloutId() {
        for (String command : List.of("advance", "promote", "rollback", "abort", "status")) {
            assertThat(parsed("--command", command, "--rollout", "a/b", "--reason", command.equals("rollback") ? "x" : "",
                    "--rollout-id", " r-1234 ").arguments()).as(command).containsSubsequence("--rollout-id", "r-1234");
        }
        assertThat(parsed("--command", "start", "--plan", "p.yaml", "--version", "1", "--rollout-id", "r-1").arguments())
                .doesNotContain("--rollout-id");
    }

    private static CliResult.Rollout rollout(String status, String hold) {
        return new CliResult.Rollout("a/b", "r-1", "a", "b", "2.0.0", "1.0.0", "1.0.0", status, "canary", 0, 3, 10.0,
                hold, null, null, List.of(), List.of("canary", "early-adopters", "everyone"));
    }

    @Test
    void aFailedRingJobsRollbackRevertsOnlyWhatWasLeftInFlight() {
        for (String inFlight : List.of("DEPLOYING", "BAKING", "ROLLING_BACK")) {
            assertThat(CiCommand.inFlight("rollback", rollout(inFlight, null))).as(inFlight).isNull();
        }
    }

    @Test
    void aFailedRingJobsRollbackLeavesAHeldRingToAPerson() {
        CliResult left = CiCommand.inFlight("rollback", rollout("AWAITING_APPROVAL", "inconclusive"));

        assertThat(left.exitCode()).isZero();
        assertThat(left.message()).contains("held for a person (inconclusive)");
    }

    @Test
    void aFailedRingJobsRollbackAfterAFailedRevertExitsSix() {
        assertThat(CiCommand.inFlight("rollback", rollout("FAILED", null)).exitCode()).isEqualTo(6);
        assertThat(CiCommand.inFlight("rollback", rollout("ROLLED_BACK", null)).result()).isEqualTo("already-done");
        assertThat(CiCommand.inFlight("rollback", rollout("PROMOTING", null)).exitCode()).isZero();
    }

    @Test
    void theRolloutCommandRunsInThisJvmAndItsJsonAnswerIsCaptured(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        PrintStream before = System.out;
        CiCommand.Execution e = CiCommand.runRollout(List.of("status", "--rollout", "checkout/production",
                "--state-dir", dir.toString(), "--output", "json"), true);

        assertThat(e.exitCode()).isEqualTo(2);
        assertThat(CliResult.parse(e.stdout()).result()).isEqualTo("not-found");
        assertThat(System.out).as("stdout is given back").isSameAs(before);
    }
}
