package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Property-based: any command line built from the CLI's own words, hostile values and junk gets a definite,
 * documented exit code — never 1 (an unexpected error), never a stack trace — and with {@code --output json}
 * exactly one JSON object on stdout whose exitCode is the process's. Runs in-process (the JAR's command line and
 * handlers) to afford hundreds of tries; {@code status --wait} and {@code demo}, which wait by design, are left out.
 */
class CliArgumentPropertiesTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path dir;
    static String validPlan;
    static String brokenPlan;

    @BeforeContainer
    static void files() throws IOException {
        dir = Files.createTempDirectory("cli-props");
        validPlan = Files.writeString(dir.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 0s, approval: manual}
                  - {name: everyone, exposure: 100%, bake: 0s}
                """).toString();
        brokenPlan = Files.writeString(dir.resolve("broken.yaml"), "service: [\n").toString();
    }

    @AfterContainer
    static void clean() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    @Property(tries = 300)
    void everyCommandLineGetsADocumentedAnswer(@ForAll("commandLines") List<String> args, @ForAll boolean json) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--state-dir", dir.resolve("state").toString()));
        if (json) all.addAll(List.of("--output", "json"));
        Cli.Result r = InProcess.run(all.toArray(String[]::new));

        assertThat(r.exit()).as("%s%n%s", all, r.all()).isIn(0, 2, 3, 4, 5);
        assertThat(r.all()).as("%s", all).doesNotContain("\tat ", "Exception in", "unexpected error:");
        if (json && !all.contains("--help") && !all.contains("-h") && !all.contains("--version") && !all.contains("-V")) {
            JsonNode out = parseOne(r.stdout(), all);
            assertThat(out.path("exitCode").asInt()).as("%s", all).isEqualTo(r.exit());
            assertThat(out.path("result").asText()).isNotBlank();
        }
    }

    private static JsonNode parseOne(String stdout, List<String> args) {
        try (var parser = JSON.createParser(stdout)) {
            JsonNode node = JSON.readTree(parser);
            assertThat(node).as("one JSON object for %s: %s", args, stdout).isNotNull();
            assertThat(node.isObject()).isTrue();
            assertThat(parser.nextToken()).as("nothing after the object: %s", stdout).isNull();
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON for " + args + ": " + stdout, e);
        }
    }

    @Provide
    Arbitrary<List<String>> commandLines() {
        Arbitrary<String> command = Arbitraries.of("plan", "run", "start", "advance", "promote", "rollback", "abort",
                "status", "history", "list", "nope", "", "PLAN", "--help", "-h", "--version");
        Arbitrary<String> word = Arbitraries.oneOf(
                Arbitraries.of("--rollout", "--ring", "--reason", "--version", "--stable-version", "--force", "--note",
                        "--auto-approve", "--reverted", "--succeed-on-pause", "--output", "--store", "--state-dir", "--",
                        "-", "-x", "--unknown", "--rollout=", "--ring=canary"),
                Arbitraries.of("checkout/production", "checkout/staging", "../x/y", "/etc/passwd", "canary", "everyone",
                        "2.0.0", "1.0;touch /tmp/x", "$(id)", "`id`", "text", "json", "xml", "", " ", "\u202e", "\t",
                        "a".repeat(600), "jdbc:postgresql://u:p@127.0.0.1:1/x", "line\nbreak"),
                Arbitraries.of(validPlan, brokenPlan, dir.toString(), dir.resolve("missing.yaml").toString()),
                Arbitraries.strings().all().ofMaxLength(12).filter(s -> s.indexOf('\0') < 0));
        return net.jqwik.api.Combinators.combine(command, word.list().ofMaxSize(7)).as((c, rest) -> {
            List<String> l = new ArrayList<>();
            l.add(c);
            l.addAll(rest);
            return l;
        }).filter(l -> !l.contains("--state-dir") && !l.contains("--store") || safeLocations(l));
    }

    /** Only locations inside the test directory (or an unsupported URL): a random word must not create directories here. */
    private static boolean safeLocations(List<String> l) {
        for (int i = 0; i < l.size(); i++) {
            if ((l.get(i).equals("--state-dir") || l.get(i).equals("--store")) && i + 1 < l.size()) {
                String v = l.get(i + 1);
                if (!v.startsWith(dir.toString()) && !v.startsWith("jdbc:")) return false;
            }
        }
        return true;
    }
}
