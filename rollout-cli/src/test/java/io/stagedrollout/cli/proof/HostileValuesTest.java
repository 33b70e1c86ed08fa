package io.stagedrollout.cli.proof;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security: keys and rings that try to leave the state directory are refused; shell metacharacters in versions and
 * targets reach actions only as data; secrets never appear in output, journal, state or reports.
 */
class HostileValuesTest {
    @TempDir
    Path tmp;

    static final List<String> ESCAPING_KEYS = List.of("../x/y", "/etc/passwd", "a/../../b", "checkout/..", "../../../tmp",
            "checkout/production/../../..", "..\\x/y", "%2e%2e/x", "checkout/", "/", "checkout/prod\u0000uction",
            "checkout/./production", "Checkout/Production", "checkout/production/extra", " checkout/production");

    @Test
    void rolloutKeysThatTryToLeaveTheStateDirectoryAreRefusedAndTouchNothing() throws Exception {
        Path state = tmp.resolve("state");
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        for (String key : ESCAPING_KEYS) {
            for (List<String> cmd : List.of(List.of("promote", "--rollout", key), List.of("rollback", "--rollout", key, "--reason", "x"),
                    List.of("abort", "--rollout", key), List.of("status", "--rollout", key), List.of("history", "--rollout", key),
                    List.of("advance", "--rollout", key))) {
                List<String> args = new ArrayList<>(cmd);
                args.addAll(List.of("--state-dir", state.toString()));
                Cli.Result r = InProcess.run(args.toArray(String[]::new));
                assertThat(r.exit()).as("%s: %s", args, r.all()).isEqualTo(2);
                assertThat(r.all()).contains("--rollout").doesNotContain("\tat ", "\u0000");
            }
        }
        // the JAR itself, for the classic ones (argv cannot carry NUL)
        for (String key : List.of("../x/y", "/etc/passwd", "a/../../b")) {
            Cli.Result r = Cli.run(tmp, Map.of(), 60, "promote", "--rollout", key, "--state-dir", state.toString());
            assertThat(r.exit()).as(r.all()).isEqualTo(2);
        }
        assertThat(Files.exists(state)).isFalse();
        try (Stream<Path> files = Files.list(outside)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void ringNamesThatTryToLeaveTheStateDirectoryAreRefused() throws Exception {
        Path plan = Files.writeString(tmp.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: ../../outside, exposure: 5%}
                  - {name: /etc/passwd, exposure: 100%}
                """);
        Cli.Result r = InProcess.run("start", plan.toString(), "--version", "2.0.0", "--state-dir", tmp.resolve("state").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.all()).contains("rings[0].name", "rings[1].name");
        assertThat(Files.exists(tmp.resolve("state"))).isFalse();

        Path good = Files.writeString(tmp.resolve("good.yaml"), """
                service: checkout
                environment: production
                rings: [{name: canary, exposure: 5%}, {name: everyone, exposure: 100%}]
                """);
        assertThat(InProcess.run("start", good.toString(), "--version", "2.0.0", "--state-dir", tmp.resolve("state").toString()).exit()).isZero();
        for (String ring : List.of("../../outside", "/etc/passwd", "canary/../everyone", "canary\u0000")) {
            Cli.Result p = InProcess.run("promote", "--rollout", "checkout/production", "--ring", ring, "--state-dir", tmp.resolve("state").toString());
            assertThat(p.exit()).as("%s: %s", ring, p.all()).isEqualTo(2);
        }
    }

    @Test
    void shellMetacharactersInVersionsAndTargetsReachActionsOnlyAsData() throws Exception {
        Path marker = tmp.resolve("pwned");
        Path seen = tmp.resolve("seen.txt");
        String m = marker.toString();
        List<String> versions = List.of("1.0;touch " + m, "$(touch " + m + ")", "`touch " + m + "`", "1.0 && touch " + m,
                "1.0|touch " + m, "'; touch " + m + "; '", "\"$(touch " + m + ")\"", "${IFS}touch${IFS}" + m, "-rf --no-preserve-root /x");
        String targets = "[\"eu-1;touch " + m + "\", \"$(touch " + m + ")\"]";
        Files.writeString(tmp.resolve("plan.yaml"), """
                service: checkout
                environment: production
                rings:
                  - {name: all, targets: @TARGETS@, bake: 0s, gates: [check]}
                gates:
                  check: {kind: command, command: [sh, -c, 'printf "gate %s\\n" "$ROLLOUT_VERSION" >> SEEN']}
                actions:
                  deploy: {kind: command, command: [sh, -c, 'printf "deploy %s|%s\\n" "$ROLLOUT_VERSION" "$ROLLOUT_TARGETS" >> SEEN']}
                  revert: {kind: command, command: [sh, -c, 'printf "revert %s\\n" "$ROLLOUT_VERSION" >> SEEN']}
                """.replace("SEEN", seen.toString()).replace("@TARGETS@", targets));
        int i = 0;
        for (String version : versions) {
            Path state = tmp.resolve("state-" + i);
            // the first two through the real JAR, the rest in-process (same command line and engine)
            Cli.Result r = i++ < 2
                    ? Cli.run(tmp, Map.of(), 120, "run", "plan.yaml", "--version", version, "--state-dir", state.toString())
                    : InProcess.run("run", tmp.resolve("plan.yaml").toString(), "--version", version, "--state-dir", state.toString());
            assertThat(r.exit()).as("%s: %s", version, r.all()).isZero();
            assertThat(marker).as("injected through %s; plan %s; seen %s", version, Files.readString(tmp.resolve("plan.yaml")),
                    Files.exists(seen) ? Files.readString(seen) : "").doesNotExist();
            assertThat(Files.readAllLines(seen)).contains("gate " + version)
                    .anySatisfy(l -> assertThat(l).startsWith("deploy " + version + "|").contains("eu-1;touch " + m, "$(touch " + m + ")"));
        }
    }

    @Test
    void secretsNeverAppearInOutputJournalStateOrReports() throws Exception {
        String webhookToken = "whk-7f3a9c1e5b2d-SECRET";
        String gateToken = "gate-0d9e8f7a6b5c-SECRET";
        List<String> authSeen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // a hostile or careless backend that echoes the credentials it got in its answers
        server.createContext("/", ex -> {
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            authSeen.add(ex.getRequestURI().getPath() + " " + auth);
            boolean bad = ex.getRequestURI().getPath().contains("bad");
            String body = ex.getRequestURI().getPath().startsWith("/metrics")
                    ? "requests_total{auth=\"" + auth + "\"} 100\nerrors_total 0\n"
                    : "{\"status\":\"" + (bad ? "DOWN " : "UP") + "\",\"echo\":\"" + auth + "\"}";
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(bad ? 500 : 200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            Files.writeString(tmp.resolve("plan.yaml"), """
                    service: checkout
                    environment: production
                    rings:
                      - {name: canary, exposure: 10%, bake: 0s, gates: [health, health-bad]}
                      - {name: everyone, exposure: 100%, bake: 0s}
                    gates:
                      health: {kind: http, url: BASE/health, tokenEnv: GATE_TOKEN, json: {pointer: /status, equals: UP}}
                      health-bad: {kind: http, url: 'BASE/health-{{version}}', tokenEnv: GATE_TOKEN, json: {pointer: /status, equals: UP}}
                    actions:
                      deploy: {kind: webhook, url: BASE/deploy, tokenEnv: WEBHOOK_TOKEN}
                      revert: {kind: webhook, url: BASE/revert-bad, tokenEnv: WEBHOOK_TOKEN, retries: 0}
                    """.replace("BASE", base));
            Map<String, String> env = Map.of("WEBHOOK_TOKEN", webhookToken, "GATE_TOKEN", gateToken);
            List<Cli.Result> outputs = new ArrayList<>();
            outputs.add(Cli.run(tmp, env, 120, "run", "plan.yaml", "--version", "good", "--output", "json"));
            assertThat(outputs.get(0).exit()).as(outputs.get(0).all()).isZero();
            outputs.add(Cli.run(tmp, env, 120, "run", "plan.yaml", "--version", "bad"));
            // its revert webhook answers 500: the revert failed, exit 6 (production state unknown)
            assertThat(outputs.get(1).exit()).as(outputs.get(1).all()).isEqualTo(6);
            for (String cmd : List.of("status", "history")) {
                outputs.add(Cli.run(tmp, env, 60, cmd, "--rollout", "checkout/production", "--output", "json"));
                outputs.add(Cli.run(tmp, env, 60, cmd, "--rollout", "checkout/production"));
            }
            outputs.add(Cli.run(tmp, env, 60, "list", "--output", "json"));

            assertThat(authSeen).as("the tokens were used").contains("/deploy Bearer " + webhookToken, "/health Bearer " + gateToken);
            for (Cli.Result r : outputs) assertThat(r.all()).doesNotContain(webhookToken, gateToken, "SECRET");
            try (Stream<Path> files = Files.walk(tmp.resolve(".rollout"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(webhookToken, gateToken, "SECRET");
                }
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aDatabasePasswordInTheStoreLocationIsNeverPrinted() throws Exception {
        for (String location : List.of("jdbc:postgresql://rollout:hunter2-SECRET@127.0.0.1:1/rollouts",
                "jdbc:postgresql://127.0.0.1:1/rollouts?user=rollout&password=hunter2-SECRET",
                "postgresql://rollout:hunter2-SECRET@127.0.0.1:1/rollouts")) {
            for (String output : List.of("text", "json")) {
                Cli.Result r = InProcess.run("status", "--rollout", "checkout/production", "--store", location, "--output", output);
                assertThat(r.exit()).as(r.all()).isNotZero();
                assertThat(r.all()).as(location).doesNotContain("hunter2");
            }
        }
    }

}
