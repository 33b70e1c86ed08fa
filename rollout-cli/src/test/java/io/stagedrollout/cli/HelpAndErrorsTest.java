package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Help on every command, mistakes named once with a suggestion, and shell completion (the first hour, issue 13). */
class HelpAndErrorsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    /** The command line in this JVM, as the JAR's main runs it (System.out/err swapped: commands print there). */
    static synchronized Run run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = RolloutCommand.execute(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    static List<String> commands() {
        return RolloutCommand.COMMANDS.stream().filter(n -> !n.equals(StartupTraining.NAME)).toList();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandTakesHelpAndExitsZero(String command) {
        Run r = run(command, "--help");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Usage: rollout " + command).contains("-h, --help");
        assertThat(run(command, "-h").exit()).isZero();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void helpCommandDescribesEachCommand(String command) {
        Run r = run("help", command);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("Usage: rollout " + command);
    }

    @Test
    void theRegistryNamesEachCommandAsItsModelDoes() {
        RolloutCommand.COMMANDS.forEach(name -> assertThat(CommandModel.of(RolloutCommand.command(name)).name()).isEqualTo(name));
        assertThat(RolloutCommand.command("nope")).isNull();
    }

    @Test
    void aMistypedCommandGetsASuggestionNotTheWholeHelp() {
        Run r = run("statsu", "--rollout", "checkout/production");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("rollout: unknown command 'statsu'; did you mean 'status'?\n"
                + "Run 'rollout --help' for the list of commands.\n");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aMistypedOptionIsNamedEvenWhenARequiredOneIsMissingToo() {
        Run r = run("status", "--rollot", "checkout/production");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("rollout status: Unknown options: '--rollot', 'checkout/production'; did you mean '--rollout'?\n")
                .contains("Usage: rollout status").endsWith("Run 'rollout status --help' for more.\n");
    }

    @Test
    void anArgumentMistakeIsSaidOnce() {
        Run r = run("status");
        assertThat(r.err().split("Missing required option: '--rollout=KEY'", -1)).hasSize(2);
        assertThat(r.err()).doesNotContain("  - ");
    }

    @Test
    void aSinglePlanProblemIsSaidOnce() throws Exception {
        Path plan = Files.writeString(dir.resolve("p.yaml"), "service: checkout\nenvironment: production\nrings:\n  - {name: canary, exposure: 150%}\n");
        Run r = run("plan", plan.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("line 4: rings[0].exposure: must be more than 0% and at most 100%, not 150%\n");
    }

    @Test
    void mistakesAreOneJsonObjectWithOutputJson() throws Exception {
        Run r = run("statsu", "--output", "json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("message").asText())
                .isEqualTo("unknown command 'statsu'; did you mean 'status'?");
    }

    @Test
    void argumentsQuotedBackCarryNoControlCharacters() {
        Run r = run("st\u001b[2Jatus");
        assertThat(r.err()).doesNotContain("\u001b").contains("\\u001b");
    }

    @Test
    void theRootAloneListsTheCommandsAndAsksForOne() {
        Run r = run();
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Commands:").contains("status").doesNotContain(StartupTraining.NAME);
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash() throws Exception {
        Run r = run("completion", "bash");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).doesNotContain(StartupTraining.NAME);
        Path script = Files.writeString(dir.resolve("rollout.bash"), r.out());
        assertThat(complete(script, "rollout", "sta")).contains("start", "status");
        assertThat(complete(script, "rollout", "promote", "--ri")).contains("--ring");
        assertThat(run("completion", "fish").exit()).isEqualTo(2);
    }

    /** What bash offers for the last word, with the script loaded as `source <(rollout completion bash)` does. */
    private static List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        String program = "source " + script + " 2>/dev/null; COMP_WORDS=(" + line + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_rollout 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return answer.lines().map(String::trim).toList();
    }

    @Test
    void theCommandWordIsFoundPastTheGlobalOptions() {
        assertThat(RolloutCommand.commandWord(new String[] {"--state-dir", "status", "status", "--rollout", "a/b"})).isEqualTo("status");
        assertThat(RolloutCommand.commandWord(new String[] {"--output=json", "list"})).isEqualTo("list");
        assertThat(RolloutCommand.commandWord(new String[] {"--help"})).isNull();
        assertThat(RolloutCommand.COMMANDS).contains("status", "completion", StartupTraining.NAME);
    }

    @Test
    void versionNamesTheBuildOfThePackagedJar() throws Exception {
        Cli.Result r = new Cli(dir, Map.of()).run("--version");
        assertThat(r.exit()).as(r.toString()).isZero();
        // the POM's version, from the JAR's manifest: never a number written into the source by hand
        assertThat(r.out()).startsWith("rollout " + System.getProperty("project.version", "0.1.0-SNAPSHOT")).contains("Java ");
    }
}
