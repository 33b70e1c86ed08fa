package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Operation;
import io.stagedrollout.core.plan.ActionSpec;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The standard connector: kubeconfig contexts, and an API server that cannot be reached. */
class ClusterConnectorTest {
    @TempDir
    Path dir;
    final List<String> output = new ArrayList<>();

    @BeforeEach
    void kubeconfigPointingAtAClosedPort() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: prod
                    cluster: {server: "https://127.0.0.1:%d", insecure-skip-tls-verify: true}
                users:
                  - name: ci
                    user: {token: not-a-secret}
                contexts:
                  - name: prod-eu
                    context: {cluster: prod, user: ci, namespace: shop}
                current-context: prod-eu
                """.formatted(closed));
        System.setProperty(Config.KUBERNETES_KUBECONFIG_FILE, kubeconfig.toString());
        System.setProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY, "false");
    }

    @AfterEach
    void forgetKubeconfig() {
        System.clearProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        System.clearProperty(Config.KUBERNETES_AUTH_TRYSERVICEACCOUNT_SYSTEM_PROPERTY);
    }

    private ActionResult deploy(String context) throws InterruptedException {
        Map<String, Object> settings = new java.util.LinkedHashMap<>(Map.of("mode", "replicas",
                "stableDeployment", "checkout", "canaryDeployment", "checkout-canary",
                "image", "registry.example.com/checkout:{{version}}", "context", context));
        return new KubernetesActionKind(ClusterConnector.standard(), Duration.ofMillis(20))
                .open(new ActionSpec("deploy", "kubernetes", settings), new ActionEnvironment(Map.of(), dir, null))
                .run(new ActionRequest(Operation.DEPLOY, Map.of("ROLLOUT_PERCENT", "5", "ROLLOUT_VERSION", "1.5.0"),
                        output::add));
    }

    @Test
    void contextMissingFromTheKubeconfigFailsInsteadOfUsingTheCurrentOne() throws Exception {
        ActionResult r = deploy("prod-us");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("the kubeconfig has no context 'prod-us'; it has prod-eu");
    }

    @Test
    void kubeconfigFromTheStepEnvironmentWinsOverTheProcessOne() throws Exception {
        Files.writeString(dir.resolve("step-kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
                users: [{name: u, user: {token: t}}]
                contexts: [{name: jenkins-agent, context: {cluster: c, user: u}}]
                current-context: jenkins-agent
                """);
        Map<String, Object> settings = new java.util.LinkedHashMap<>(Map.of("mode", "replicas",
                "stableDeployment", "checkout", "canaryDeployment", "checkout-canary",
                "image", "registry.example.com/checkout:{{version}}", "context", "prod-eu"));

        ActionResult r = new KubernetesActionKind()
                .open(new ActionSpec("deploy", "kubernetes", settings),
                        new ActionEnvironment(Map.of("KUBECONFIG", "missing:step-kubeconfig"), dir, null))
                .run(new ActionRequest(Operation.DEPLOY, Map.of("ROLLOUT_PERCENT", "5", "ROLLOUT_VERSION", "1.5.0"),
                        output::add));

        assertThat(r.detail()).isEqualTo("the kubeconfig has no context 'prod-eu'; it has jenkins-agent");
    }

    @Test
    void unreachableApiServerIsAFailedResultNotAnException() throws Exception {
        ActionResult r = deploy("prod-eu");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).matches("Kubernetes API at https://127.0.0.1:[0-9]+: .*failed.*");
        assertThat(output).last().asString().startsWith("failed: Kubernetes API at https://127.0.0.1:");
        assertThat(String.join("\n", output) + r.detail()).doesNotContain("not-a-secret");
    }
}
