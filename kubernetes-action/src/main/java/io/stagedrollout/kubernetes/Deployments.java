package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** The Deployment operations the action needs, in one namespace: read, set image and replicas, wait for ready. */
final class Deployments {
    private final KubernetesClient client;
    private final String namespace;
    private final Consumer<String> output;
    private final Duration pollInterval;

    Deployments(KubernetesClient client, String namespace, Consumer<String> output, Duration pollInterval) {
        this.client = client;
        this.namespace = namespace;
        this.output = output;
        this.pollInterval = pollInterval;
    }

    private RollableScalableResource<Deployment> resource(String name) {
        return client.apps().deployments().inNamespace(namespace).withName(name);
    }

    Deployment get(String name) {
        Deployment d = resource(name).get();
        if (d == null) {
            throw new ActionFailure("Deployment '" + name + "' not found in namespace '" + namespace + "'");
        }
        return d;
    }

    static int replicas(Deployment d) {
        Integer r = d.getSpec() == null ? null : d.getSpec().getReplicas();
        return r == null ? 1 : r; // Kubernetes defaults spec.replicas to 1
    }

    /** The container whose image the action sets: the named one, or the only one. */
    static Container container(Deployment d, Optional<String> name) {
        List<Container> containers = d.getSpec().getTemplate().getSpec().getContainers();
        String deployment = d.getMetadata().getName();
        if (name.isPresent()) {
            return containers.stream().filter(c -> name.get().equals(c.getName())).findFirst()
                    .orElseThrow(() -> new ActionFailure("Deployment '" + deployment + "' has no container '"
                            + name.get() + "' (it has " + names(containers) + ")"));
        }
        if (containers.size() != 1) {
            throw new ActionFailure("Deployment '" + deployment + "' has containers " + names(containers)
                    + "; set the action's 'container' field to the one that gets the new image");
        }
        return containers.get(0);
    }

    private static String names(List<Container> containers) {
        return containers.stream().map(c -> "'" + c.getName() + "'").collect(Collectors.joining(", "));
    }

    /** Sets the image of {@code container} (when {@code image} is given) and the replica count (when given). */
    void update(String name, Optional<String> container, Optional<String> image, Optional<Integer> replicas) {
        Deployment current = get(name);
        String containerName = image.isPresent() ? container(current, container).getName() : null;
        boolean imageChanges = image.isPresent() && !image.get().equals(container(current, container).getImage());
        boolean replicasChange = replicas.isPresent() && replicas.get() != replicas(current);
        if (!imageChanges && !replicasChange) {
            return;
        }
        resource(name).edit(d -> {
            if (imageChanges) {
                container(d, Optional.of(containerName)).setImage(image.get());
            }
            if (replicasChange) {
                d.getSpec().setReplicas(replicas.get());
            }
            return d;
        });
        output.accept("deployment " + name + ":"
                + (imageChanges ? " image " + containerName + "=" + image.get() : "")
                + (replicasChange ? " replicas " + replicas(current) + " -> " + replicas.get() : ""));
    }

    Optional<String> annotation(String name, String key) {
        Map<String, String> annotations = get(name).getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(key));
    }

    /** Sets the annotation, or removes it when {@code value} is null. */
    void annotate(String name, String key, String value) {
        if (Objects.equals(annotation(name, key).orElse(null), value)) return;
        resource(name).edit(d -> {
            if (value == null) {
                if (d.getMetadata().getAnnotations() != null) d.getMetadata().getAnnotations().remove(key);
            } else {
                if (d.getMetadata().getAnnotations() == null) d.getMetadata().setAnnotations(new LinkedHashMap<>());
                d.getMetadata().getAnnotations().put(key, value);
            }
            return d;
        });
    }

    String image(String name, Optional<String> container) {
        return container(get(name), container).getImage();
    }

    /**
     * Waits until the Deployment has rolled out its current spec, by the rules {@code kubectl rollout status} uses:
     * the controller has seen the latest generation, every replica is updated, no old replica is left, and every
     * updated replica is available. A zero timeout does not wait.
     */
    void awaitReady(String name, Duration timeout) throws InterruptedException {
        if (timeout.isZero()) return;
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = null;
        while (true) {
            Deployment d = get(name);
            String waitingFor = notReady(d);
            if (waitingFor == null) {
                return;
            }
            if (!waitingFor.equals(last)) {
                output.accept("deployment " + name + ": waiting, " + waitingFor);
                last = waitingFor;
            }
            if (System.nanoTime() >= deadline) {
                throw new ActionFailure("Deployment '" + name + "' was not ready within "
                        + io.stagedrollout.core.plan.Durations.format(timeout) + ": " + waitingFor);
            }
            Thread.sleep(Math.max(1, Math.min(pollInterval.toMillis(),
                    (deadline - System.nanoTime()) / 1_000_000 + 1)));
        }
    }

    /** What the Deployment still lacks, or null when it is ready. */
    static String notReady(Deployment d) {
        int want = replicas(d);
        DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
        Long generation = d.getMetadata().getGeneration();
        long observed = s.getObservedGeneration() == null ? 0 : s.getObservedGeneration();
        if (generation != null && observed < generation) {
            return "the controller has not yet seen generation " + generation;
        }
        int updated = orZero(s.getUpdatedReplicas());
        int total = orZero(s.getReplicas());
        int available = orZero(s.getAvailableReplicas());
        if (updated < want) {
            return updated + "/" + want + " pods updated";
        }
        if (total > updated) {
            return (total - updated) + " old pod(s) still terminating";
        }
        if (available < updated) {
            return available + "/" + want + " pods available";
        }
        return null;
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
