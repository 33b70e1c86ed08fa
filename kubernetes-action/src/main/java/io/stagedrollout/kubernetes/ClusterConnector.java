package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Lends a Kubernetes client for one piece of work. The default one owns a client per call and closes it. */
@FunctionalInterface
public interface ClusterConnector {
    /** Retries of a failed API call (backoff 100 ms, doubling): about 3 s in all. */
    int RETRIES = 5;

    <T> T withClient(Optional<String> context, Function<KubernetesClient, T> work);

    /**
     * Configured as the fabric8 client does by default: the kubeconfig ({@code KUBECONFIG} or {@code ~/.kube/config},
     * its current context unless {@code context} names another) or, inside a pod, the service account.
     */
    static ClusterConnector standard() {
        return standard(System.getenv(), Path.of(""));
    }

    /**
     * As {@link #standard()}, but a {@code KUBECONFIG} in {@code env} (the CI step's environment, which may differ
     * from this process's: Jenkins' {@code withKubeConfig}) wins. Of a list of files, the first that exists is used;
     * a relative path is taken from {@code workDir}.
     */
    static ClusterConnector standard(Map<String, String> env, Path workDir) {
        String stepKubeconfig = env.get("KUBECONFIG");
        boolean own = stepKubeconfig != null && !stepKubeconfig.isBlank()
                && !stepKubeconfig.equals(System.getenv("KUBECONFIG"));
        return new ClusterConnector() {
            @Override
            public <T> T withClient(Optional<String> context, Function<KubernetesClient, T> work) {
                Config config = own ? fromFile(stepKubeconfig, workDir, context) : Config.autoConfigure(context.orElse(null));
                context.ifPresent(wanted -> checkContext(config, wanted));
                // the client's default retries a refused call for about two minutes; a ring should fail sooner
                config.setRequestRetryBackoffLimit(RETRIES);
                try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build()) {
                    return work.apply(client);
                }
            }
        };
    }

    private static Config fromFile(String kubeconfig, Path workDir, Optional<String> context) {
        for (String part : kubeconfig.split(java.io.File.pathSeparator)) {
            if (part.isBlank()) continue;
            Path file = workDir.resolve(part);
            if (Files.isRegularFile(file)) {
                return Config.fromKubeconfig(context.orElse(null), file.toFile());
            }
        }
        throw new ActionFailure("KUBECONFIG names no file that exists: " + kubeconfig);
    }

    /** The client falls back to the current context when the named one is missing: never act on the wrong cluster. */
    private static void checkContext(Config config, String wanted) {
        NamedContext current = config.getCurrentContext();
        if (current != null && wanted.equals(current.getName())) return;
        List<String> names = config.getContexts() == null ? List.of()
                : config.getContexts().stream().map(NamedContext::getName).toList();
        throw new ActionFailure(names.isEmpty()
                ? "context '" + wanted + "' was asked for, but no kubeconfig was found (KUBECONFIG, or ~/.kube/config)"
                : "the kubeconfig has no context '" + wanted + "'; it has " + String.join(", ", names));
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
