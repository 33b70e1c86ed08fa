package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everyday use through the real JAR: who did it and when, which store a command looked in, a plan whose program
 * is missing, and a run stopped with Ctrl-C.
 */
class EverydayCliTest {
    @TempDir
    Path dir;

    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: BAKE, gates: [ok], approval: manual}
              - {name: everyone, exposure: 100%, bake: 0s}
            gates:
              ok: {kind: command, command: [sh, -c, 'exit 0'], interval: 10m}
            actions:
              deploy: {kind: command, command: [sh, -c, 'exit 0']}
              revert: {kind: command, command: [sh, -c, 'exit 0']}
            """;

    @Test
    void historyShowsEachPromotesNoteAndTimesToTheSecond() throws Exception {
        Cli cli = new Cli(dir, Map.of("USER", "alice"));
        cli.file("p.yaml", PLAN.replace("BAKE", "0s"));
        assertThat(cli.run("start", "p.yaml", "--version", "2.0.0").exit()).isZero();
        assertThat(cli.run("advance", "--rollout", "checkout/production").exit()).isEqualTo(4);
        Cli.Result promote = new Cli(dir, Map.of("USER", "bob")).run("promote", "--rollout", "checkout/production", "--ring", "canary",
                "--note", "dashboards look fine");
        assertThat(promote.exit()).as(promote.toString()).isZero();

        Cli.Result history = cli.run("history", "--rollout", "checkout/production");
        assertThat(history.exit()).isZero();
        String promoted = history.out().lines().filter(l -> l.contains("PROMOTED")).findFirst().orElseThrow();
        assertThat(promoted).contains("bob/cli").contains("note: dashboards look fine");
        assertThat(history.out().lines()).allSatisfy(l -> assertThat(l).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ  r.*"));
    }

    @Test
    void commandsThatFindNothingNameTheStoreTheyLookedIn() throws Exception {
        Cli cli = new Cli(dir, Map.of("USER", "alice"));
        String store = dir.toRealPath().resolve(".rollout").toString();
        assertThat(cli.run("list").out()).contains("no rollouts").contains(store);
        assertThat(cli.run("history", "--rollout", "checkout/production").err()).contains(store);
        Cli.Result promote = cli.run("promote", "--rollout", "checkout/production", "--ring", "canary");
        assertThat(promote.exit()).isEqualTo(2);
        assertThat(promote.err()).contains(store);
        assertThat(cli.run("list", "--output", "json").json().get("message").asText()).contains(store);
    }

    @Test
    void inAContainerWithoutUserTheJournalNamesTheAccountAndTheCommandSaysSo() throws Exception {
        Cli cli = new Cli(dir, Map.of("USER", "", "LOGNAME", "", "USERNAME", "", "HOSTNAME", "3f2a9c1b"));
        cli.file("p.yaml", PLAN.replace("BAKE", "0s"));
        Cli.Result start = cli.run("start", "p.yaml", "--version", "2.0.0");
        assertThat(start.exit()).isZero();
        assertThat(start.err()).contains("note: acting as '").contains("@3f2a9c1b").contains("ROLLOUT_ACTOR");
        String history = cli.run("history", "--rollout", "checkout/production").out();
        assertThat(history).contains("@3f2a9c1b/cli").doesNotContain("cli/cli");
        Cli.Result named = new Cli(dir, Map.of("USER", "", "ROLLOUT_ACTOR", "carol")).run("abort", "--rollout", "checkout/production");
        assertThat(named.err()).doesNotContain("note:");
        assertThat(cli.run("history", "--rollout", "checkout/production").out()).contains("carol/cli");
    }

    @Test
    void planWarnsWhenACommandActionsProgramIsNotThere() throws Exception {
        Cli cli = new Cli(dir, Map.of("USER", "alice"));
        cli.file("p.yaml", PLAN.replace("BAKE", "0s").replace("deploy: {kind: command, command: [sh, -c, 'exit 0']}",
                "deploy: {kind: command, command: [./deploy.sh]}").replace("revert: {kind: command, command: [sh, -c, 'exit 0']}",
                "revert: {kind: command, command: [no-such-program-here, --revert]}"));
        Cli.Result r = cli.run("plan", "p.yaml");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("warning: actions.deploy: ./deploy.sh does not exist in " + dir.toRealPath())
                .contains("warning: actions.revert: no-such-program-here is not on the PATH");
        assertThat(cli.run("plan", "p.yaml", "--output", "json").json().get("warnings")).hasSize(2);

        Files.writeString(dir.resolve("deploy.sh"), "#!/bin/sh\n");
        assertThat(cli.run("plan", "p.yaml").err()).contains("./deploy.sh is not an executable file");
        dir.resolve("deploy.sh").toFile().setExecutable(true);
        assertThat(cli.run("plan", "p.yaml").err()).doesNotContain("deploy.sh");
    }

    @Test
    void ctrlCDuringABakeSaysWhereTheRolloutWasLeftAndHowToGoOn() throws Exception {
        // a shell without job control starts background jobs with SIGINT ignored, and a JVM keeps an ignored SIGINT
        // ignored (as it should: Ctrl-C does not reach a background job); the run started here would inherit that
        assumeFalse(sigintIgnored(), "this test runs in a background job of a shell without job control: SIGINT is ignored");
        Cli cli = new Cli(dir, Map.of("USER", "alice"));
        cli.file("p.yaml", PLAN.replace("BAKE", "10m"));
        Process run = cli.start("run", "p.yaml", "--version", "2.0.0");
        awaitStatus("BAKING");

        new ProcessBuilder("kill", "-INT", String.valueOf(run.pid())).start().waitFor();

        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(err).isEqualTo(130);
        assertThat(err).contains("interrupted: checkout/production 2.0.0 was left BAKING in ring canary (1 of 2); nobody measures "
                + "its gates until it is resumed").contains("to go on: rollout run p.yaml --version 2.0.0");
    }

    /** Whether this process ignores SIGINT (signal 2: bit 1 of SigIgn in /proc/self/status), as its children will. */
    private static boolean sigintIgnored() throws Exception {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) return false;
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0b10) != 0;
        }
        return false;
    }

    /** Waits (a generous deadline, no fixed sleep) until the stored rollout has this status. */
    private void awaitStatus(String status) throws Exception {
        Path state = dir.resolve(".rollout/checkout/production/state.json");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(state)) {
                try {
                    if (status.equals(new ObjectMapper().readTree(state.toFile()).path("status").asText())) return;
                } catch (java.io.IOException e) {
                    // replaced while read: look again
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the rollout never reached " + status);
    }
}
