package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.action.ActionRequest;
import io.stagedrollout.core.action.ActionResult;
import io.stagedrollout.core.action.Operation;
import io.stagedrollout.core.plan.ActionSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test fixtures over a fabric8 mock API server in CRUD mode: Deployments, HTTPRoutes, and running the action. */
final class Cluster {
    static final String NS = "shop";
    final KubernetesClient client;
    final List<String> output = new ArrayList<>();

    Cluster(KubernetesClient client) {
        this.client = client;
    }

    Deployment deployment(String name, int replicas, String image) {
        Deployment d = new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(NS).addToLabels("app", "checkout").endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector().addToMatchLabels("app", "checkout").addToMatchLabels("track", name).endSelector()
                .withNewTemplate()
                .withNewMetadata().addToLabels("app", "checkout").addToLabels("track", name).endMetadata()
                .withNewSpec()
                .withContainers(new ContainerBuilder().withName("app").withImage(image).build(),
                        new ContainerBuilder().withName("proxy").withImage("envoyproxy/envoy:v1.31").build())
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
        // createOr(update): a POST the client retried after a slow answer (a loaded machine) must not fail with 409
        return client.apps().deployments().inNamespace(NS).resource(d).createOr(NonDeletingOperation::update);
    }

    Deployment get(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    int replicas(String name) {
        return get(name).getSpec().getReplicas();
    }

    String image(String name) {
        return get(name).getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    /** What the Deployment controller would report once every pod of the current spec is up. */
    void markReady(String name) {
        Deployment d = get(name);
        int n = d.getSpec().getReplicas();
        client.apps().deployments().inNamespace(NS).withName(name).editStatus(x -> {
            x.setStatus(new DeploymentStatusBuilder()
                    .withObservedGeneration(x.getMetadata().getGeneration())
                    .withReplicas(n).withUpdatedReplicas(n).withReadyReplicas(n).withAvailableReplicas(n)
                    .build());
            return x;
        });
    }

    GenericKubernetesResource route(String yaml) {
        GenericKubernetesResource r = Serialization.unmarshal(yaml, GenericKubernetesResource.class);
        return client.genericKubernetesResources(HttpRoutes.HTTP_ROUTE).inNamespace(NS).resource(r).createOr(NonDeletingOperation::update);
    }

    GenericKubernetesResource routeNamed(String name) {
        return client.genericKubernetesResources(HttpRoutes.HTTP_ROUTE).inNamespace(NS).withName(name).get();
    }

    Action action(Map<String, Object> settings) {
        Map<String, Object> s = new LinkedHashMap<>(settings);
        s.putIfAbsent("namespace", NS);
        return new KubernetesActionKind(ClusterConnector.using(client), Duration.ofMillis(20))
                .open(new ActionSpec("deploy", "kubernetes", s), new ActionEnvironment(Map.of(), Path.of("."), null));
    }

    ActionResult deploy(Action action, String percent, String version) throws InterruptedException {
        return action.run(new ActionRequest(Operation.DEPLOY,
                Map.of("ROLLOUT_PERCENT", percent, "ROLLOUT_VERSION", version), output::add));
    }

    /** As the engine reverts: ROLLOUT_VERSION is the stable version, ROLLOUT_REVERTING_VERSION the one taken back. */
    ActionResult revert(Action action, String stableVersion, String revertingVersion) throws InterruptedException {
        return action.run(new ActionRequest(Operation.REVERT, Map.of("ROLLOUT_PERCENT", "0",
                "ROLLOUT_VERSION", stableVersion, "ROLLOUT_REVERTING_VERSION", revertingVersion), output::add));
    }
}
