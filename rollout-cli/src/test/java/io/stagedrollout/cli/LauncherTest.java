package io.stagedrollout.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clone's `./rollout` launcher: it records a start-up archive once per JAR and JDK in its cache directory
 * (JDK 25: an AOT cache, JDK 17: AppCDS), runs the JAR with it from then on, and keeps doing so, without warnings,
 * after the clone is moved.
 */
class LauncherTest {
    static final Path CLONE = Path.of(System.getProperty("user.dir")).getParent();
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /** A clone with the launcher and the built JAR (no sources: nothing to rebuild). */
    Path clone(String name) throws Exception {
        Path c = dir.resolve(name);
        Files.createDirectories(c.resolve("rollout-cli/target"));
        Files.copy(CLONE.resolve("rollout"), c.resolve("rollout"));
        c.resolve("rollout").toFile().setExecutable(true);
        Files.copy(Cli.JAR, c.resolve("rollout-cli/target/rollout.jar"));
        return c;
    }

    Result launch(Path clone, Map<String, String> env, String... args) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(clone.resolve("rollout").toString()), Stream.of(args)).toList())
                .directory(dir.toFile()).redirectInput(new File("/dev/null"));
        Map<String, String> e = pb.environment();
        List.of("CI", "GITLAB_CI", "GITHUB_ACTIONS", "ROLLOUT_JAVA", "ROLLOUT_NO_CDS", "ROLLOUT_JAVA_OPTS", "JAVA_TOOL_OPTIONS").forEach(e::remove);
        e.put("ROLLOUT_CACHE_DIR", dir.resolve("cache").toString());
        e.putAll(env);
        Process p = pb.start();
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (java.io.IOException x) {
                err.complete(x.toString());
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out, err.get(1, TimeUnit.MINUTES));
    }

    /** Waits (a generous deadline) for the background training run to leave an archive ending in {@code suffix}. */
    Path awaitArchive(String suffix) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (Instant.now().isBefore(deadline)) {
            try (Stream<Path> files = Files.exists(dir.resolve("cache")) ? Files.walk(dir.resolve("cache")) : Stream.empty()) {
                List<Path> all = files.toList();
                boolean training = all.stream().anyMatch(f -> f.getFileName().toString().equals("training"));
                var archive = all.stream().filter(f -> f.getFileName().toString().endsWith(suffix)).findFirst();
                if (archive.isPresent() && !training) return archive.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no " + suffix + " archive was recorded in " + dir.resolve("cache"));
    }

    /** Whether the CLI's own classes came from the archive in this run (-Xlog:class+load says where each came from). */
    static boolean fromArchive(Result r) {
        return r.out().lines().anyMatch(l -> l.contains("io.stagedrollout.cli.Main source: shared objects file"));
    }

    void recordsAnArchiveAndKeepsUsingItAfterAMove(Map<String, String> env, String suffix) throws Exception {
        Path a = clone("clone-a");
        Result first = launch(a, env, "--version");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("rollout ");
        assertThat(first.err()).isEmpty();
        Path archive = awaitArchive(suffix);
        assertThat(archive.getParent().resolve("rollout.jar")).exists();

        Map<String, String> logged = new HashMap<>(env);
        logged.put("ROLLOUT_JAVA_OPTS", "-Xlog:class+load:stdout");
        assertThat(fromArchive(launch(a, logged, "--version"))).as("the archive is used").isTrue();

        Path b = dir.resolve("moved/clone-b");
        Files.createDirectories(b.getParent());
        Files.move(a, b);
        Result moved = launch(b, logged, "--version");
        assertThat(moved.exit()).isZero();
        assertThat(moved.err()).as("no CDS warning after a move").isEmpty();
        assertThat(fromArchive(moved)).as("the archive is still used after the clone moved").isTrue();
        Result plain = launch(b, env, "list", "--state-dir", dir.resolve("state").toString());
        assertThat(plain.exit()).isZero();
        assertThat(plain.err()).isEmpty();
    }

    @Test
    void onJava17TheLauncherRecordsAnAppCdsArchiveThatSurvivesAMove() throws Exception {
        Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
        assumeTrue(Runtime.version().feature() < 25, "the test JVM is the Java 17 baseline");
        recordsAnArchiveAndKeepsUsingItAfterAMove(Map.of("ROLLOUT_JAVA", java17.toString()), ".jsa");
    }

    @Test
    void withAJdk25AroundTheLauncherUsesItsAotCache() throws Exception {
        assumeTrue(Files.isExecutable(JDK25.resolve("bin/java")), "no JDK 25 at " + JDK25);
        recordsAnArchiveAndKeepsUsingItAfterAMove(Map.of("JAVA_HOME", System.getProperty("java.home")), ".aot");
    }

    /** The archive a command ran with, as the JVM names it when told to (-Xlog:cds says which file it mapped). */
    String archiveUsedBy(Path clone, Map<String, String> env, String... args) throws Exception {
        Map<String, String> logged = new HashMap<>(env);
        logged.put("ROLLOUT_JAVA_OPTS", "-Xlog:cds=info");
        Result r = launch(clone, logged, args);
        return r.out().lines().filter(l -> l.contains("Opened") && l.contains(dir.resolve("cache").toString()))
                .map(l -> l.substring(l.lastIndexOf('/') + 1)).findFirst().orElse("none");
    }

    @Test
    void theEverydayCommandsPrintingTextRunWithTheirOwnSmallerArchive() throws Exception {
        Path a = clone("clone-a");
        Map<String, String> java17 = Map.of("ROLLOUT_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "ROLLOUT_TRAIN_WAIT", "1");
        assertThat(launch(a, java17, "--version").exit()).isZero();
        String state = dir.resolve("state").toString();

        assertThat(archiveUsedBy(a, java17, "status", "--rollout", "a/b", "--state-dir", state)).endsWith(".text.jsa.");
        assertThat(archiveUsedBy(a, java17, "list", "--state-dir", state)).endsWith(".text.jsa.");
        assertThat(archiveUsedBy(a, java17, "abort", "--rollout", "a/b", "--reason", "x", "--state-dir", state)).endsWith(".text.jsa.");
        assertThat(archiveUsedBy(a, java17, "plan", dir.resolve("missing.yaml").toString()))
                .as("the commands outside the text family: the archive of all commands").doesNotContain(".text.").endsWith(".jsa.");
        assertThat(archiveUsedBy(a, java17, "status", "--rollout", "a/b", "--state-dir", state, "--output", "json"))
                .as("JSON output needs the data binding: the archive of all commands").doesNotContain(".text.").endsWith(".jsa.");
    }

    @Test
    void aTrainingThatFailsIsNotTriedAgainByEveryCommand() throws Exception {
        // a JDK whose java fails every training run and counts them; every other command runs as usual
        Path home = dir.resolve("jdk");
        Files.createDirectories(home.resolve("bin"));
        Files.copy(Path.of(System.getProperty("java.home"), "release"), home.resolve("release"));
        Path tries = dir.resolve("tries");
        Path java = Files.writeString(home.resolve("bin/java"), "#!/bin/sh\n"
                + "case \"$*\" in *train-startup-cache*) echo try >> '" + tries + "'; exit 1 ;; esac\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
        java.toFile().setExecutable(true);
        Path a = clone("clone-a");
        Map<String, String> env = Map.of("ROLLOUT_JAVA", java.toString(), "ROLLOUT_TRAIN_WAIT", "1");

        for (int i = 0; i < 3; i++) {
            Result r = launch(a, env, "--version");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.err()).isEmpty();
        }
        assertThat(Files.readAllLines(tries)).as("one failed training, then none for a day").hasSize(1);
    }

    @Test
    void theLauncherStartsTheMainClassTheJarNames() throws Exception {
        String launcher = Files.readString(CLONE.resolve("rollout"));
        String named = launcher.lines().flatMap(l -> Stream.of(l.split("\\s+"))).filter(w -> w.startsWith("main="))
                .map(w -> w.substring("main=".length())).findFirst().orElseThrow();
        try (var jar = new java.util.jar.JarFile(Cli.JAR.toFile())) {
            assertThat(named).isEqualTo(jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }

    @Test
    void noArchiveWhenTurnedOffOrInCiWithoutACacheDirectory() throws Exception {
        Path a = clone("clone-a");
        assertThat(launch(a, Map.of("ROLLOUT_NO_CDS", "1"), "--version").exit()).isZero();
        Result ci = launch(a, Map.of("CI", "true", "ROLLOUT_CACHE_DIR", "", "HOME", dir.resolve("home").toString()), "--version");
        assertThat(ci.exit()).isZero();
        assertThat(dir.resolve("cache")).doesNotExist();
        assertThat(dir.resolve("home/.cache")).doesNotExist();
    }
}
