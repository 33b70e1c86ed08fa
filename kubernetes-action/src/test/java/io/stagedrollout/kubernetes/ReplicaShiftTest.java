package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionResult;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ReplicaShiftTest {
    KubernetesClient client;
    Cluster cluster;

    @BeforeEach
    void setUp() {
        cluster = new Cluster(client);
    }

    private static Map<String, Object> settings(Object... extra) {
        Map<String, Object> s = new java.util.LinkedHashMap<>(Map.of(
                "mode", "replicas",
                "stableDeployment", "checkout",
                "canaryDeployment", "checkout-canary",
                "container", "app",
                "image", "registry.example.com/checkout:{{version}}",
                "readyTimeout", "0s"));
        for (int i = 0; i < extra.length; i += 2) s.put((String) extra[i], extra[i + 1]);
        return s;
    }

    @Test
    void ringsOnTwentyReplicasSplitPodsAsThePlanSays() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());

        int[][] expected = {{5, 1, 19}, {25, 5, 15}, {50, 10, 10}};
        for (int[] ring : expected) {
            ActionResult r = cluster.deploy(action, String.valueOf(ring[0]), "1.5.0");
            assertThat(r.ok()).as(r.detail()).isTrue();
            assertThat(r.actualPercent()).as("exact exposure needs no correction").isNull();
            assertThat(cluster.replicas("checkout-canary")).as("canary at %d%%", ring[0]).isEqualTo(ring[1]);
            assertThat(cluster.replicas("checkout")).as("stable at %d%%", ring[0]).isEqualTo(ring[2]);
            assertThat(cluster.image("checkout-canary")).isEqualTo("registry.example.com/checkout:1.5.0");
            assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.4.0");
        }
        assertThat(cluster.output).contains("canary 1/20 pods (5%), stable 19");
    }

    @Test
    void fullExposurePromotesTheStableAndIdlesTheCanary() throws Exception {
        cluster.deployment("checkout", 10, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 10, "registry.example.com/checkout:1.5.0");

        ActionResult r = cluster.deploy(cluster.action(settings()), "100", "1.5.0");

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.5.0");
        assertThat(cluster.replicas("checkout-canary")).isZero();
        assertThat(cluster.get("checkout").getSpec().getTemplate().getSpec().getContainers().get(1).getImage())
                .as("only the named container changes").isEqualTo("envoyproxy/envoy:v1.31");
    }

    @Test
    void exposureThreeReplicasCannotCarryIsReportedAsTheActualOne() throws Exception {
        cluster.deployment("checkout", 3, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(cluster.action(settings()), "5", "1.5.0");

        assertThat(r.ok()).isTrue();
        assertThat(cluster.replicas("checkout-canary")).as("at least one canary pod").isEqualTo(1);
        assertThat(cluster.replicas("checkout")).isEqualTo(2);
        assertThat(r.actualPercent()).isCloseTo(33.333, org.assertj.core.data.Offset.offset(0.001));
        assertThat(r.detail()).isEqualTo("canary 1/3 pods (33.3%, asked 5%), stable 2");
    }

    @Test
    void totalFromThePlanOverridesTheCurrentCount() throws Exception {
        cluster.deployment("checkout", 4, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");

        cluster.deploy(cluster.action(settings("replicas", 40)), "25", "1.5.0");

        assertThat(cluster.replicas("checkout-canary")).isEqualTo(10);
        assertThat(cluster.replicas("checkout")).isEqualTo(30);
    }

    @Test
    void revertPutsEverythingBackOnTheStable() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());
        cluster.deploy(action, "25", "1.5.0");

        ActionResult r = cluster.revert(action, "1.4.0", "1.5.0");

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
        assertThat(cluster.replicas("checkout-canary")).isZero();
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.4.0");
    }

    @Test
    void revertAfterPromotionPutsTheStableBackOnTheStableVersion() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());
        cluster.deploy(action, "100", "1.5.0");

        cluster.revert(action, "1.4.0", "1.5.0");

        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.4.0");
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
    }

    @Test
    void revertLeavesAStableDeployedByOtherMeansOnItsImage() throws Exception {
        String byDigest = "registry.example.com/checkout@sha256:4f1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        cluster.deployment("checkout", 20, byDigest);
        cluster.deployment("checkout-canary", 0, byDigest);
        Action action = cluster.action(settings());
        cluster.deploy(action, "25", "1.5.0");

        cluster.revert(action, "1.4.0", "1.5.0");

        assertThat(cluster.image("checkout")).isEqualTo(byDigest);
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
    }

    @Test
    void repeatingARingChangesNothing() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());

        cluster.deploy(action, "25", "1.5.0");
        ActionResult again = cluster.deploy(action, "25", "1.5.0");

        assertThat(again.detail()).isEqualTo("canary 5/20 pods (25%), stable 15");
        assertThat(cluster.replicas("checkout-canary")).isEqualTo(5);
        assertThat(cluster.replicas("checkout")).isEqualTo(15);
    }

    @Test
    void ringInterruptedHalfwayResumesWithTheSameTotal() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());
        cluster.deploy(action, "5", "1.5.0");
        // the 25% ring grew the canary, then the process died before the stable shrank: 19 + 5 pods
        client.apps().deployments().inNamespace(Cluster.NS).withName("checkout-canary").scale(5);

        ActionResult r = cluster.deploy(action, "25", "1.5.0");

        assertThat(r.detail()).isEqualTo("canary 5/20 pods (25%), stable 15");
        assertThat(cluster.replicas("checkout")).isEqualTo(15);
    }

    @Test
    void nextRolloutCountsTheTotalAfresh() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings());
        cluster.deploy(action, "50", "1.5.0");
        cluster.deploy(action, "100", "1.5.0");
        client.apps().deployments().inNamespace(Cluster.NS).withName("checkout").scale(30);

        ActionResult r = cluster.deploy(action, "10", "1.6.0");

        assertThat(r.detail()).isEqualTo("canary 3/30 pods (10%), stable 27");
    }

    @Test
    void missingDeploymentFailsWithItsName() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(cluster.action(settings()), "5", "1.5.0");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("Deployment 'checkout-canary' not found in namespace 'shop'");
        assertThat(cluster.replicas("checkout")).as("nothing changed").isEqualTo(20);
    }

    @Test
    void unknownContainerFailsNamingTheContainersThereAre() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(cluster.action(settings("container", "web")), "5", "1.5.0");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).contains("no container 'web'", "'app'", "'proxy'");
        assertThat(cluster.replicas("checkout-canary")).isZero();
    }

    @Test
    void versionThatIsNoImageTagNeverReachesTheCluster() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(cluster.action(settings()), "5", "1.5.0; rm -rf /");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).contains("cannot be an image tag");
        assertThat(cluster.image("checkout-canary")).isEqualTo("registry.example.com/checkout:1.4.0");
    }

    @Test
    void stableShrinksOnlyAfterTheCanaryIsReady() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings("readyTimeout", "10s"));
        AtomicInteger stableWhileCanaryStarts = new AtomicInteger(-1);
        Thread controller = new Thread(() -> {
            try {
                while (cluster.replicas("checkout-canary") == 0) Thread.sleep(10);
                Thread.sleep(200);
                stableWhileCanaryStarts.set(cluster.replicas("checkout"));
                cluster.markReady("checkout-canary");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        controller.start();

        ActionResult r = cluster.deploy(action, "25", "1.5.0");
        controller.join();

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(stableWhileCanaryStarts.get()).as("stable untouched while the canary starts").isEqualTo(20);
        assertThat(cluster.replicas("checkout")).isEqualTo(15);
        assertThat(cluster.output).anyMatch(l -> l.startsWith("deployment checkout-canary: waiting"));
    }

    @Test
    void canaryNeverReadyFailsAndLeavesTheStableServing() throws Exception {
        cluster.deployment("checkout", 20, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 0, "registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(cluster.action(settings("readyTimeout", "300ms")), "25", "1.5.0");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("Deployment 'checkout-canary' was not ready within");
        assertThat(cluster.replicas("checkout")).isEqualTo(20);
    }
}
