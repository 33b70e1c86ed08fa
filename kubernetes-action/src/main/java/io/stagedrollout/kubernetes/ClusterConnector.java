package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Optional;
import java.util.function.Function;

/** Lends a Kubernetes client for one piece of work. The default one owns a client per call and closes it. */
@FunctionalInterface
public interface ClusterConnector {

    <T> T withClient(Optional<String> context, Function<KubernetesClient, T> work);

    /**
     * Configured as the fabric8 client does by default: the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config},
     * its current context unless {@code context} names another) or, inside a pod, the service account.
     */
    static ClusterConnector standard() {
        return new ClusterConnector() {
            @Override
            public <T> T withClient(Optional<String> context, Function<KubernetesClient, T> work) {
                Config config = Config.autoConfigure(context.orElse(null));
                try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                    return work.apply(client);
                }
            }
        };
    }

    /** Always lends {@code client} (tests, or a caller that manages the client itself); never closes it. */
    static ClusterConnector using(KubernetesClient client) {
        return new ClusterConnector() {
            @Override
            public <T> T withClient(Optional<String> context, Function<KubernetesClient, T> work) {
                return work.apply(client);
            }
        };
    }
}
