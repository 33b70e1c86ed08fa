package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run as written: its commands are read from README.md (section "Five-minute tour"),
 * each through the real JAR in a directory holding the clone's examples/tour/, in the order a reader runs them in
 * three shells.
 */
class FiveMinuteTourTest {
    static final Path CLONE = Path.of(System.getProperty("user.dir")).getParent();

    @TempDir
    Path dir;

    /** The tour's command lines, as words, from the README's first code block after "## Five-minute tour". */
    static List<List<String>> tour() throws Exception {
        String readme = Files.readString(CLONE.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Five-minute tour"));
        String block = section.substring(section.indexOf("```sh\n") + 6, section.indexOf("```", section.indexOf("```sh\n") + 6));
        List<List<String>> lines = new ArrayList<>();
        for (String line : block.lines().toList()) {
            List<String> words = words(line);
            if (words.isEmpty()) continue;
            assertThat(words.get(0)).as("every tour line runs the launcher: " + line).isEqualTo("./rollout");
            lines.add(words.subList(1, words.size()));
        }
        return lines;
    }

    /** A shell's words for the simple lines of the tour: blanks split, "…" and '…' quote, # starts a comment. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                if (w == null) w = new StringBuilder();
            } else if (c == '#' && w == null) {
                break;
            } else if (Character.isWhitespace(c)) {
                if (w != null) words.add(w.toString());
                w = null;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) words.add(w.toString());
        return words;
    }

    @Test
    void theTourRunsAsWritten() throws Exception {
        List<List<String>> tour = tour();
        assertThat(tour).extracting(l -> l.get(0))
                .containsExactly("demo", "plan", "run", "promote", "status", "history", "rollback", "report", "run");
        assumeTrue(portIsFree(DemoCommand.TOUR_PORT), "port " + DemoCommand.TOUR_PORT + " is taken: the tour's service cannot start");
        copy(CLONE.resolve("examples/tour"), dir.resolve("examples/tour"));
        Cli cli = new Cli(dir, Map.of("USER", "tour-reader"));

        // shell 1: the service
        Process service = cli.start(tour.get(0).toArray(String[]::new));
        Drain serviceOut = new Drain(service.getInputStream());
        try {
            serviceOut.await("demo service on http://127.0.0.1:" + DemoCommand.TOUR_PORT);
            // shell 2: check the plan, then drive the rollout
            Cli.Result plan = cli.run(tour.get(1).toArray(String[]::new));
            assertThat(plan.exit()).as(plan.toString()).isZero();
            assertThat(plan.err()).as("no warnings: the deploy script is where the plan says").doesNotContain("warning");
            assertThat(plan.out()).contains("canary").contains("early-adopters").contains("everyone");

            List<String> runLine = tour.get(2);
            Process run = cli.start(runLine.toArray(String[]::new));
            Drain runOut = new Drain(run.getInputStream());
            Drain runErr = new Drain(run.getErrorStream());
            String key = tour.get(3).get(tour.get(3).indexOf("--rollout") + 1);
            awaitWaitingFor(cli, key, "early-adopters");

            // shell 3: release the manual ring; the run goes on by itself
            Cli.Result promote = cli.run(tour.get(3).toArray(String[]::new));
            assertThat(promote.exit()).as(promote.toString()).isZero();
            assertThat(run.waitFor(5, TimeUnit.MINUTES)).as("the run ends after the promote").isTrue();
            assertThat(run.exitValue()).as(runOut.text() + runErr.text()).isZero();
            assertThat(runOut.text()).contains("COMPLETED");

            Cli.Result status = cli.run(tour.get(4).toArray(String[]::new));
            assertThat(status.exit()).as(status.toString()).isZero();
            assertThat(status.out()).contains("COMPLETED");
            Cli.Result history = cli.run(tour.get(5).toArray(String[]::new));
            assertThat(history.exit()).isZero();
            assertThat(history.out()).contains("PROMOTED").contains("note: " + tour.get(3).get(tour.get(3).indexOf("--note") + 1));
            Cli.Result rollback = cli.run(tour.get(6).toArray(String[]::new));
            assertThat(rollback.exit()).as(rollback.toString()).isZero();
            Cli.Result report = cli.run(tour.get(7).toArray(String[]::new));
            assertThat(report.exit()).as(report.toString()).isZero();
            assertThat(Files.readString(dir.resolve("report.html"))).contains("<html");

            Cli.Result bad = cli.run(tour.get(8).toArray(String[]::new));
            assertThat(bad.exit()).as(bad.toString()).isEqualTo(3);
            assertThat(bad.out() + bad.err()).contains("error-rate failed");
        } finally {
            service.destroy();
            service.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(serviceOut.text()).contains("deploy: 2.4.0 gets 10% of the traffic").contains("revert: all traffic back to 2.3.1");
    }

    /** Everything a process prints on one stream, read as it comes (a full pipe would stop the process). */
    static final class Drain {
        private final StringBuffer text = new StringBuffer();
        private final Thread reader;

        Drain(java.io.InputStream in) {
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) text.append(line).append('\n');
                } catch (java.io.IOException e) {
                    text.append("(read failed: ").append(e).append(")\n");
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Waits (a generous deadline) until a line starts with {@code prefix}. */
        void await(String prefix) throws Exception {
            Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
            while (Instant.now().isBefore(deadline)) {
                if (text.toString().lines().anyMatch(l -> l.startsWith(prefix))) return;
                if (!reader.isAlive()) break;
                Thread.sleep(100);
            }
            throw new AssertionError("never printed '" + prefix + "':\n" + text);
        }

        /** All of it, once the stream has ended (or after a minute). */
        String text() throws InterruptedException {
            reader.join(60_000);
            return text.toString();
        }
    }

    /** Polls `status --output json` (a generous deadline) until the rollout waits for a person at {@code ring}. */
    private static void awaitWaitingFor(Cli cli, String key, String ring) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            Cli.Result r = cli.run("status", "--rollout", key, "--output", "json");
            if (r.exit() == 0) {
                JsonNode rollout = r.json().get("rollout");
                String status = rollout.path("status").asText();
                assertThat(status).as("the rollout must not end before the manual ring: " + r).isNotIn("ROLLED_BACK", "FAILED", "ABORTED");
                if (status.equals("AWAITING_APPROVAL")) {
                    assertThat(rollout.path("ring").asText()).as("held where it should not be: " + r).isEqualTo(ring);
                    return;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the rollout never waited at " + ring);
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(f.getFileName());
                Files.copy(f, target);
                target.toFile().setExecutable(Files.isExecutable(f));
            }
        }
    }
}
