package io.stagedrollout.core.notify;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateEnvironment;
import io.stagedrollout.core.machine.EventType;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import io.stagedrollout.core.testing.FakeClock;
import io.stagedrollout.core.testing.LocalHttpServer;
import io.stagedrollout.core.testing.LocalHttpServer.Answer;
import io.stagedrollout.core.testing.TestRollouts;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notifications from a real engine to a local HTTP server: payloads, retries, dead endpoints, secrets. */
class NotificationTest {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");
    static final String TOKEN = "T0K3N-s3cr3t";
    static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    Path dir;
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-24T10:00:00Z"));
    final List<String> printed = new CopyOnWriteArrayList<>();
    final Map<String, String> env = new HashMap<>();
    LocalHttpServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    String plan(String notify) {
        return """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 5%, bake: 0s}
                  - {name: everyone, exposure: 100%, bake: 0s, approval: manual}
                actions:
                  deploy: {kind: command, command: ["true"]}
                  revert: {kind: command, command: ["true"]}
                notify:
                """ + notify;
    }

    RolloutEngine engine() {
        EngineListener listener = new EngineListener() {
            @Override
            public void event(RolloutEvent e) {
                printed.add(e.type() + " " + e.reason() + " " + e.evidence());
            }

            @Override
            public void output(String line) {
                printed.add(line);
            }
        };
        HttpClient http = HttpClient.newHttpClient();
        var runtime = new RolloutEngine.Runtime(new GateEnvironment(env, dir, http, clock), new ActionEnvironment(env, dir, http));
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), runtime, clock, clock.sleeper(), listener);
    }

    /** start, canary passes, everyone passes and waits for approval, promote: every kind of notification but failures. */
    RolloutState rollOut(RolloutEngine e) throws Exception {
        e.start(TestRollouts.plan(plan(notifyBlock)), "2.0.0", "1.0.0", ALICE);
        e.advance(KEY, ALICE);
        e.advance(KEY, ALICE);
        return e.promote(KEY, "everyone", false, null, ALICE).state();
    }

    String notifyBlock;

    static List<JsonNode> bodies(LocalHttpServer s, String path) {
        List<JsonNode> out = new ArrayList<>();
        for (String r : s.requests) {
            if (!r.startsWith("POST " + path + " ")) continue;
            try {
                out.add(JSON.readTree(r.substring(("POST " + path + " ").length())));
            } catch (Exception ex) {
                throw new AssertionError(r, ex);
            }
        }
        return out;
    }

    @Test
    void theWebhookHearsEveryTransitionThatMattersAsJson() throws Exception {
        server = new LocalHttpServer().on("/hook/" + TOKEN, () -> Answer.ok(""));
        env.put("HOOK_URL", server.url("/hook/" + TOKEN));
        notifyBlock = "  hook: {kind: webhook, urlEnv: HOOK_URL}\n";
        try (RolloutEngine e = engine()) {
            assertThat(rollOut(e).status()).isEqualTo(Status.COMPLETED);
        }
        List<JsonNode> sent = bodies(server, "/hook/" + TOKEN);
        assertThat(sent).extracting(n -> n.get("event").asText() + " " + n.at("/rollout/ring").asText(""))
                .containsExactly("started ", "ring-passed canary", "ring-passed everyone", "awaiting-approval everyone", "completed everyone");
        JsonNode waiting = sent.get(3);
        assertThat(waiting.at("/rollout/key").asText()).isEqualTo("checkout/production");
        assertThat(waiting.at("/rollout/version").asText()).isEqualTo("2.0.0");
        // the id-bound form: pasted after the key has moved on, it is refused instead of acting on a newer rollout
        String id = waiting.at("/rollout/id").asText();
        assertThat(waiting.at("/commands/promote").asText())
                .isEqualTo("rollout promote --rollout checkout/production --rollout-id " + id + " --ring everyone");
        assertThat(waiting.at("/commands/rollback").asText())
                .startsWith("rollout rollback --rollout checkout/production --rollout-id " + id + " --reason");
    }

    @Test
    void theChatTargetGetsATextPayloadWithTheExactCommands() throws Exception {
        server = new LocalHttpServer().on("/chat/" + TOKEN, () -> Answer.ok("ok"));
        env.put("SLACK_WEBHOOK_URL", server.url("/chat/" + TOKEN));
        notifyBlock = "  chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL, on: [awaiting-approval]}\n";
        try (RolloutEngine e = engine()) {
            rollOut(e);
        }
        List<JsonNode> sent = bodies(server, "/chat/" + TOKEN);
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).fieldNames()).toIterable().containsExactly("text");
        assertThat(sent.get(0).get("text").asText()).contains("*checkout/production* 2.0.0").contains("ring everyone (2 of 2)")
                .containsPattern("`rollout promote --rollout checkout/production --rollout-id r-[0-9a-f]{8} --ring everyone`")
                .containsPattern("`rollout rollback --rollout checkout/production --rollout-id r-[0-9a-f]{8} --reason \"...\"`");
    }

    @Test
    void aFailedDeliveryIsRetriedWithBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        server = new LocalHttpServer().on("/hook", () -> new Answer(calls.incrementAndGet() <= 2 ? 503 : 200, "", 0));
        env.put("HOOK_URL", server.url("/hook"));
        notifyBlock = "  hook: {kind: webhook, urlEnv: HOOK_URL, on: [started], retries: 3, backoff: 20ms}\n";
        RolloutEngine e = engine();
        e.start(TestRollouts.plan(plan(notifyBlock)), "2.0.0", "1.0.0", ALICE);
        e.close();
        assertThat(calls.get()).isEqualTo(3);
        assertThat(bodies(server, "/hook")).extracting(n -> n.get("event").asText()).containsOnly("started");
        assertThat(e.history(KEY)).extracting(RolloutEvent::type).doesNotContain(EventType.NOTIFY_FAILED);
    }

    @Test
    void aDeadEndpointNeitherBlocksNorFailsTheRolloutAndIsJournaledWithoutItsUrl() throws Exception {
        int deadPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            deadPort = s.getLocalPort();
        }
        env.put("HOOK_URL", "http://127.0.0.1:" + deadPort + "/hook/" + TOKEN);
        notifyBlock = "  hook: {kind: webhook, urlEnv: HOOK_URL, on: [started, completed], retries: 2, backoff: 10ms}\n";
        RolloutEngine e = engine();
        RolloutState end = rollOut(e);
        assertThat(end.status()).isEqualTo(Status.COMPLETED);
        e.close(); // drains the deliveries, which journal their failure
        List<RolloutEvent> failed = e.history(KEY).stream().filter(ev -> ev.type().equals(EventType.NOTIFY_FAILED)).toList();
        assertThat(failed).hasSize(2);
        assertThat(failed).extracting(ev -> ev.evidence().get("event")).containsExactlyInAnyOrder("started", "completed");
        assertThat(failed.get(0).evidence()).containsEntry("target", "hook").containsEntry("attempts", 3);
        assertThat(failed.get(0).reason()).contains("could not connect");
        assertThat(e.status(KEY).orElseThrow().status()).isEqualTo(Status.COMPLETED);
        assertNoTokenAnywhere();
    }

    @Test
    void aHangingEndpointDoesNotHoldTheRolloutUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        server = new LocalHttpServer().on("/hook", () -> {
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            return Answer.ok("");
        });
        env.put("HOOK_URL", server.url("/hook"));
        notifyBlock = "  hook: {kind: webhook, urlEnv: HOOK_URL, timeout: 30s}\n";
        try (RolloutEngine e = engine()) {
            // the first delivery hangs until released; the rollout completes all the same
            assertThat(rollOut(e).status()).isEqualTo(Status.COMPLETED);
            assertThat(server.requests).hasSizeLessThanOrEqualTo(1);
            release.countDown();
        }
        assertThat(bodies(server, "/hook")).hasSize(5);
    }

    @Test
    void aMissingUrlVariableIsJournaledByNameOnly() throws Exception {
        notifyBlock = "  chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL, on: [started]}\n";
        RolloutEngine e = engine();
        e.start(TestRollouts.plan(plan(notifyBlock)), "2.0.0", "1.0.0", ALICE);
        e.close();
        assertThat(e.history(KEY)).filteredOn(ev -> ev.type().equals(EventType.NOTIFY_FAILED)).singleElement()
                .satisfies(ev -> assertThat(ev.reason()).contains("SLACK_WEBHOOK_URL is not set"));
    }

    void assertNoTokenAnywhere() throws Exception {
        assertThat(printed).isNotEmpty().noneMatch(l -> l.contains(TOKEN) || l.contains("127.0.0.1"));
        try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(TOKEN).doesNotContain("127.0.0.1");
            }
        }
    }
}
