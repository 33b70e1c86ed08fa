package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stagedrollout.core.testing.HostileHttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, input and output, through the real JAR: report files never replace what they should not, secrets in URLs
 * are refused, nothing printed carries raw control characters or forges a line, hostile metrics and slow or dead
 * endpoints neither kill nor hold up a command, and a plan that never ends is refused before it is read.
 */
class HostileInputOutputTest {
    @TempDir
    Path tmp;
    private final List<AutoCloseable> servers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) s.close();
    }

    private static final String SIMPLE_PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 10%, bake: 0s}
              - {name: everyone, exposure: 100%, bake: 0s, approval: manual}
            """;

    private Cli.Result rollout(Map<String, String> env, String... args) throws Exception {
        return Cli.run(tmp, env, 120, args);
    }

    private Cli.Result rollout(String... args) throws Exception {
        return rollout(Map.of(), args);
    }

    private void started() throws Exception {
        Files.writeString(tmp.resolve("plan.yaml"), SIMPLE_PLAN);
        assertThat(rollout("start", "plan.yaml", "--version", "2.0.0").exit()).isZero();
    }

    /** An HTTP server on 127.0.0.1 answering every path with {@code body}. */
    private String serve(int status, Supplier<String> body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        servers.add(() -> server.stop(0));
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    // ---- report -o ------------------------------------------------------------------------------------------------

    @Test
    void reportToALinkToADeviceWritesThroughItAndKeepsTheLink() throws Exception {
        started();
        Path link = Files.createSymbolicLink(tmp.resolve("report.html"), Path.of("/dev/null"));
        Cli.Result r = rollout("report", "--rollout", "checkout/production", "--format", "html", "-o", link.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("/dev/null"));
        assertThat(Files.isRegularFile(Path.of("/dev/null"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void reportToAFifoIsWrittenThroughIt() throws Exception {
        started();
        Path fifo = tmp.resolve("report.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(mk.exitValue()).isZero();
        CompletableFuture<String> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "read failed: " + e;
            }
        });
        Cli.Result r = rollout("report", "--rollout", "checkout/production", "--format", "markdown", "-o", fifo.toString());
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(read.get(60, TimeUnit.SECONDS)).startsWith("## Rollout checkout/production: 2.0.0");
        assertThat(Files.isRegularFile(fifo, LinkOption.NOFOLLOW_LINKS)).as("still a FIFO").isFalse();
        assertThat(Files.exists(fifo, LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    void reportToADashGoesToStdout() throws Exception {
        started();
        Cli.Result r = rollout("report", "--rollout", "checkout/production", "--format", "junit", "-o", "-");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.stdout()).startsWith("<?xml");
        assertThat(tmp.resolve("-")).doesNotExist();
    }

    @Test
    void reportIntoAMissingDirectoryIsRefusedAndCreatesNothing() throws Exception {
        started();
        Cli.Result r = rollout("report", "--rollout", "checkout/production", "-o", tmp.resolve("no/such/dir/r.md").toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("-o", "does not exist (it is not created)").doesNotContain("Exception");
        assertThat(tmp.resolve("no")).doesNotExist();
    }

    @Test
    void reportOntoADirectoryIsRefusedWithAClearMessage() throws Exception {
        started();
        Path dir = Files.createDirectories(tmp.resolve("reports"));
        Cli.Result r = rollout("report", "--rollout", "checkout/production", "-o", dir.toString());
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains(dir + " is a directory: give the report's file name").doesNotContain("FileSystemException");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void aNewReportFileRespectsTheUmaskAndAnExistingOneKeepsItsMode() throws Exception {
        started();
        Process p = new ProcessBuilder("sh", "-c", "umask").start();
        int umask = Integer.parseInt(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip(), 8);
        Path fresh = tmp.resolve("fresh.md");
        assertThat(rollout("report", "--rollout", "checkout/production", "-o", fresh.toString()).exit()).isZero();
        assertThat(mode(fresh)).isEqualTo(0666 & ~umask);

        Path existing = Files.writeString(tmp.resolve("existing.md"), "old");
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(rollout("report", "--rollout", "checkout/production", "-o", existing.toString()).exit()).isZero();
        assertThat(mode(existing)).isEqualTo(0640);
        assertThat(Files.readString(existing)).startsWith("## Rollout");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(f -> f.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    private static int mode(Path f) throws Exception {
        int m = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(f)) m |= 1 << (8 - perm.ordinal());
        return m;
    }

    // ---- secrets in URLs ------------------------------------------------------------------------------------------

    @Test
    void aGateUrlWithCredentialsIsRefusedNamingTheFieldAndStoresNothing() throws Exception {
        Files.writeString(tmp.resolve("plan.yaml"), SIMPLE_PLAN.replace("bake: 0s}", "bake: 0s, gates: [health]}") + """
                gates:
                  health: {kind: http, url: "http://admin:hunter2@127.0.0.1:1/health?access_token=hunter2"}
                actions:
                  deploy: {kind: webhook, url: "https://deploy.example.com/hook?sig=hunter2"}
                  revert: {kind: command, command: ["true"]}
                """);
        for (String cmd : List.of("plan", "start")) {
            Cli.Result r = cmd.equals("plan") ? rollout("plan", "plan.yaml") : rollout("start", "plan.yaml", "--version", "2.0.0");
            assertThat(r.exit()).as(r.all()).isEqualTo(2);
            assertThat(r.stderr()).contains("gates.health.url: must not carry a secret, but has credentials before '@'",
                    "tokenEnv", "actions.deploy.url: must not carry a secret, but has the query parameter 'sig'");
            assertThat(r.all()).doesNotContain("hunter2");
        }
        assertThat(tmp.resolve(".rollout")).doesNotExist();
    }

    @Test
    void aStoreLocationWithAPasswordIsRefusedNamingWhereItCameFrom() throws Exception {
        for (String location : List.of("jdbc:postgresql://127.0.0.1:1/rollouts;password=hunter2",
                "jdbc:postgresql://127.0.0.1:1/rollouts?user=r&password=hunter2", "jdbc:postgresql://r:hunter2@127.0.0.1:1/rollouts")) {
            Cli.Result flag = rollout("status", "--rollout", "checkout/production", "--store", location);
            assertThat(flag.exit()).as(flag.all()).isEqualTo(2);
            assertThat(flag.stderr()).contains("--store must not carry a secret", "ROLLOUT_DB_PASSWORD").doesNotContain("hunter2");
            Cli.Result env = rollout(Map.of("ROLLOUT_STORE", location), "status", "--rollout", "checkout/production", "--output", "json");
            assertThat(env.exit()).as(env.all()).isEqualTo(2);
            assertThat(env.stdout()).contains("\"path\":\"ROLLOUT_STORE\"").doesNotContain("hunter2");
        }
    }

    // ---- what is printed ------------------------------------------------------------------------------------------

    @Test
    void actorNamesAndVersionsThatCannotBePrintedSafelyAreRefusedNamingTheField() throws Exception {
        Files.writeString(tmp.resolve("plan.yaml"), SIMPLE_PLAN);
        Map<String, String> forged = Map.of("ROLLOUT_ACTOR", "mallory\n2026-01-01T00:00:00Z  r9  PROMOTED  alice");
        Cli.Result r = rollout(forged, "start", "plan.yaml", "--version", "2.0.0");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("ROLLOUT_ACTOR", "one line of printable characters").doesNotContain("\nPROMOTED");

        Cli.Result user = rollout(Map.of("USER", "eve\u001b[2J"), "start", "plan.yaml", "--version", "2.0.0");
        assertThat(user.exit()).as(user.all()).isEqualTo(2);
        assertThat(user.stderr()).contains("USER").doesNotContain("\u001b");

        for (String version : List.of("2.0\u009b31m", "2.0\u202e", "2.0\u200b", "2.0\r")) {
            Cli.Result v = rollout("start", "plan.yaml", "--version", version);
            assertThat(v.exit()).as(v.all()).isEqualTo(2);
            assertThat(v.stderr()).contains("--version must be one line of printable characters");
            assertThat(v.all()).doesNotContain("\u009b", "\u202e", "\u200b", "\r");
        }
        assertThat(tmp.resolve(".rollout")).doesNotExist();
    }

    @Test
    void aHealthEndpointsAnswerNeverReachesTheTerminalOrHistoryRaw() throws Exception {
        String hostile = "{\"status\": \"DOWN\\u001b]0;owned\\u0007\\u001b[2J\\n2026-01-01T00:00:00Z  r9  PROMOTED  alice\\u202e\"}";
        String base = serve(200, () -> hostile);
        Files.writeString(tmp.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 0s, gates: [health], onFailure: revert}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  health: {kind: http, url: "BASE/health", json: {pointer: /status, equals: UP}}
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.replace("BASE", base));
        List<Cli.Result> outputs = new ArrayList<>();
        outputs.add(rollout("run", "plan.yaml", "--version", "2.0.0"));
        assertThat(outputs.get(0).exit()).as(outputs.get(0).all()).isEqualTo(3);
        Cli.Result history = rollout("history", "--rollout", "checkout/production");
        outputs.add(history);
        outputs.add(rollout("status", "--rollout", "checkout/production"));
        outputs.add(rollout("status", "--rollout", "checkout/production", "--output", "json"));
        outputs.add(rollout("report", "--rollout", "checkout/production", "--format", "markdown"));
        for (Cli.Result r : outputs) {
            assertThat(r.all()).doesNotContain("\u001b", "\u0007", "\u202e", "\n2026-01-01T00:00:00Z  r9  PROMOTED");
        }
        assertThat(history.stdout()).contains("\\u001b");
        // one line per journal event, none forged
        Cli.Result json = rollout("history", "--rollout", "checkout/production", "--output", "json");
        int events = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(json.stdout()).get("events").size();
        assertThat(history.stdout().lines().count()).isEqualTo(events);
        assertThat(history.stdout().lines()).noneMatch(l -> l.startsWith("2026-01-01T00:00:00Z"));
    }

    // ---- metrics, timeouts, sizes ---------------------------------------------------------------------------------

    @Test
    void aLongLabelOnAnUnrelatedMetricDoesNotKillRun() throws Exception {
        int[] scrapes = {0};
        String base = serve(200, () -> "build_info{commit=\"" + "a".repeat(1500) + "\"} 1\nerrors_total 0\nrequests_total "
                + (100 * ++scrapes[0]) + "\n");
        Files.writeString(tmp.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 0s, gates: [errors]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  errors: {kind: metrics, endpoint: "BASE/metrics", errors: errors_total, total: requests_total, max: 0.01, window: 100ms}
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.replace("BASE", base));
        Cli.Result r = rollout("run", "plan.yaml", "--version", "2.0.0");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.all()).doesNotContain("StackOverflowError").contains("COMPLETED");
    }

    @Test
    void aGateWhoseBodyTricklesInIsAnErrorOnTime() throws Exception {
        HostileHttpServer trickle = new HostileHttpServer(HostileHttpServer.Mode.TRICKLE);
        servers.add(trickle);
        Files.writeString(tmp.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 0s, gates: [health], onInconclusive: revert}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  health: {kind: http, url: "URL", timeout: 1s, consecutiveErrorLimit: 0, json: {pointer: /status, equals: UP}}
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                """.replace("URL", trickle.url("/health")));
        // the server would trickle its 100,000 bytes for 14 hours; the run must end long before its own deadline here
        Cli.Result r = Cli.run(tmp, Map.of(), 120, "run", "plan.yaml", "--version", "2.0.0");
        assertThat(r.exit()).as(r.all()).isEqualTo(3);
        assertThat(rollout("history", "--rollout", "checkout/production").stdout()).contains("no complete answer from", "within 1s");
    }

    @Test
    void aPlanThatNeverEndsIsRefusedBeforeItIsRead() throws Exception {
        Cli.Result r = Cli.run(tmp, Map.of(), 120, "plan", "/dev/zero");
        assertThat(r.exit()).as(r.all()).isEqualTo(2);
        assertThat(r.stderr()).contains("the plan is larger than 1048576 bytes").doesNotContain("OutOfMemoryError");
    }

    @Test
    void aNotifyTargetThatNeverAnswersDelaysStartAndRollbackOnlyBrieflyAndIsJournaled() throws Exception {
        HostileHttpServer silent = new HostileHttpServer(HostileHttpServer.Mode.SILENT);
        servers.add(silent);
        Files.writeString(tmp.resolve("plan.yaml"), SIMPLE_PLAN + """
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                notify:
                  incidents: {kind: webhook, urlEnv: INCIDENT_URL, retries: 3, backoff: 2s, timeout: 5s}
                """);
        Map<String, String> env = new HashMap<>(Map.of("INCIDENT_URL", silent.url("/hook")));
        for (List<String> cmd : List.of(List.of("start", "plan.yaml", "--version", "2.0.0", "--stable-version", "1.0.0"),
                List.of("rollback", "--rollout", "checkout/production", "--reason", "pager"))) {
            long t0 = System.nanoTime();
            Cli.Result r = rollout(env, cmd.toArray(String[]::new));
            Duration took = Duration.ofNanos(System.nanoTime() - t0);
            assertThat(r.exit()).as(r.all()).isIn(0, 3);
            // before: 35 s (30 s of draining); now the JVM's start-up plus Notifier.CLOSE_WAIT
            assertThat(took).as("%s took %s", cmd.get(0), took).isLessThan(Duration.ofSeconds(25));
        }
        Cli.Result history = rollout("history", "--rollout", "checkout/production");
        assertThat(history.stdout().lines().filter(l -> l.contains("NOTIFY_FAILED")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("could not notify incidents (webhook)", "not delivered before the command ended")
                        .doesNotContain("127.0.0.1"));
    }
}
