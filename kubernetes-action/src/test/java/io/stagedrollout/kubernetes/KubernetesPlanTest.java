package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.stagedrollout.core.action.ActionKinds;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.store.FileRolloutStore;
import io.stagedrollout.core.store.RolloutKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan using {@code kind: kubernetes} read by the core's PlanReader and run by the real engine, the action found
 * through ServiceLoader and connecting the way it does in production: a kubeconfig file and a named context.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesPlanTest {
    KubernetesClient client;
    Cluster cluster;
    @TempDir
    Path dir;
    final List<String> output = new CopyOnWriteArrayList<>();

    static final String PLAN = """
            service: checkout
            environment: production
            strategy: percentage
            steps: [5, 25, 50, 100]
            bake: 0s
            actions:
              deploy:
                kind: kubernetes
                mode: replicas
                context: mock
                stableDeployment: checkout
                canaryDeployment: checkout-canary
                container: app
                image: registry.example.com/checkout:{{version}}
                readyTimeout: 0s
              revert:
                kind: kubernetes
                mode: replicas
                context: mock
                stableDeployment: checkout
                canaryDeployment: checkout-canary
                container: app
                image: registry.example.com/checkout:{{version}}
                readyTimeout: 0s
            """;

    @BeforeEach
    void kubeconfig() throws Exception {
        cluster = new Cluster(client);
        // the current context points nowhere: only the plan's `context: mock` reaches the mock API server,
        // whose namespace (shop) comes from the kubeconfig too
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: nowhere
                    cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}
                  - name: mock
                    cluster: {server: "%s", insecure-skip-tls-verify: true}
                users:
                  - name: ci
                    user: {token: not-a-secret}
                contexts:
                  - name: elsewhere
                    context: {cluster: nowhere, user: ci, namespace: default}
                  - name: mock
                    context: {cluster: mock, user: ci, namespace: shop}
                current-context: elsewhere
                """.formatted(client.getMasterUrl()));
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    }

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        System.clearProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY);
    }

    private RolloutEngine engine() {
        EngineListener listener = new EngineListener() {
            @Override
            public void output(String line) {
                output.add(line);
            }
        };
        return new RolloutEngine(new FileRolloutStore(dir.resolve("state")), RolloutEngine.Runtime.system(dir),
                Clock.systemUTC(), listener);
    }

    @Test
    void kubernetesKindIsFoundThroughServiceLoader() {
        assertThat(ActionKinds.find("kubernetes")).get().isInstanceOf(KubernetesActionKind.class);
    }

    @Test
    void planUsingTheKubernetesKindValidates() throws Exception {
        RolloutPlan plan = PlanReader.parse(PLAN);

        assertThat(plan.actions().get("deploy").kind()).isEqualTo("kubernetes");
        assertThat(plan.actions().get("deploy").settings())
                .containsEntry("mode", "replicas").containsEntry("stableDeployment", "checkout");
    }

    @Test
    void planProblemsInTheKubernetesActionNameFieldAndLine() {
        String bad = PLAN.replaceFirst("    mode: replicas\n", "    mode: replicas\n    replica: 3\n")
                .replaceFirst("\\{\\{version}}", "latest");

        assertThatThrownBy(() -> PlanReader.parse(bad))
                .isInstanceOfSatisfying(InvalidPlanException.class, e -> assertThat(e.problems())
                        .extracting(p -> p.line() + " " + p.path() + ": " + p.message())
                        .contains("10 actions.deploy.replica: unknown field 'replica' (did you mean 'replicas'?)",
                                "15 actions.deploy.image: must contain {{version}} where the rollout's version goes, "
                                        + "e.g. registry.example.com/app:{{version}}"));
    }

    @Test
    void goodVersionRunsRingByRingToThePromotedStable() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        RolloutKey key = new RolloutKey("checkout", "production");
        Actor actor = Actor.system("test");

        try (RolloutEngine engine = engine()) {
            engine.start(PlanReader.parse(PLAN), "1.5.0", "1.4.0", actor);
            engine.run(key, true, actor);
            RolloutState s = engine.status(key).orElseThrow();
            assertThat(s.status()).as(String.join("\n", output)).isEqualTo(Status.COMPLETED);
        }

        assertThat(output).contains("  | canary 1/20 pods (5%), stable 19", "  | canary 5/20 pods (25%), stable 15",
                "  | canary 10/20 pods (50%), stable 10",
                "  | promoted: stable 20/20 pods on registry.example.com/checkout:1.5.0 (100%), canary 0");
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.5.0");
        assertThat(cluster.replicas("checkout-canary")).isZero();
    }

    @Test
    void actualExposureIsRecordedInTheJournal() throws Exception {
        cluster.deployment("checkout", 3, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        RolloutKey key = new RolloutKey("checkout", "production");
        Actor actor = Actor.system("test");

        try (RolloutEngine engine = engine()) {
            engine.start(PlanReader.parse(PLAN), "1.5.0", "1.4.0", actor);
            engine.advance(key, actor);
            assertThat(engine.history(key))
                    .filteredOn(e -> "5pct".equals(e.ring()) && e.evidence().containsKey("actualPercent"))
                    .singleElement()
                    .satisfies(e -> assertThat(((Number) e.evidence().get("actualPercent")).doubleValue())
                            .isCloseTo(33.33, org.assertj.core.data.Offset.offset(0.01)));
        }
        assertThat(cluster.replicas("checkout-canary")).isEqualTo(1);
    }

    @Test
    void failedRingRevertsTheClusterToTheStable() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        String failing = PLAN.replace("bake: 0s\n", """
                bake: 1s
                gates:
                  smoke:
                    kind: command
                    command: ["false"]
                    interval: 100ms
                    count: 1
                """);
        RolloutKey key = new RolloutKey("checkout", "production");
        Actor actor = Actor.system("test");

        try (RolloutEngine engine = engine()) {
            engine.start(PlanReader.parse(failing), "1.5.0", "1.4.0", actor);
            engine.run(key, true, actor);
            assertThat(engine.status(key).orElseThrow().status()).as(String.join("\n", output))
                    .isEqualTo(Status.ROLLED_BACK);
        }

        assertThat(output).contains("  | canary 1/20 pods (5%), stable 19",
                "  | reverted: stable 20/20 pods on registry.example.com/checkout:1.4.0, canary 0");
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
        assertThat(cluster.replicas("checkout-canary")).isZero();
    }
}
