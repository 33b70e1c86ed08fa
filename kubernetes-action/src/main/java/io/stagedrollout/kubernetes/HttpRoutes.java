package io.stagedrollout.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.stagedrollout.kubernetes.KubernetesSettings.RouteTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and sets the stable and canary weights of a Gateway API {@code HTTPRoute} through the generic resource API,
 * so no Gateway API model classes are needed and any conformant implementation (Envoy Gateway, Istio, Cilium,
 * NGINX Gateway Fabric, …) is driven the same way.
 */
final class HttpRoutes {
    static final ResourceDefinitionContext HTTP_ROUTE = new ResourceDefinitionContext.Builder()
            .withGroup("gateway.networking.k8s.io")
            .withVersion("v1")
            .withKind("HTTPRoute")
            .withPlural("httproutes")
            .withNamespaced(true)
            .build();

    private final KubernetesClient client;
    private final String namespace;
    private final RouteTarget target;

    HttpRoutes(KubernetesClient client, String namespace, RouteTarget target) {
        this.client = client;
        this.namespace = namespace;
        this.target = target;
    }

    private Resource<GenericKubernetesResource> resource() {
        return client.genericKubernetesResources(HTTP_ROUTE).inNamespace(namespace).withName(target.name());
    }

    /**
     * Sets every rule that sends traffic to the stable Service to {@code stable}/{@code canary}. Checks the whole
     * route first, so a route it cannot shift is left untouched.
     */
    void setWeights(int stable, int canary) {
        GenericKubernetesResource route = resource().get();
        if (route == null) {
            throw new ActionFailure("HTTPRoute '" + target.name() + "' not found in namespace '" + namespace + "'");
        }
        checkShape(route);
        resource().edit(r -> {
            for (Map<String, Object> rule : rules(r)) {
                for (Map<String, Object> ref : refs(rule)) {
                    if (isService(ref, target.stableService())) ref.put("weight", stable);
                    if (isService(ref, target.canaryService())) ref.put("weight", canary);
                }
            }
            return r;
        });
    }

    private void checkShape(GenericKubernetesResource route) {
        int shifted = 0;
        List<Map<String, Object>> rules = rules(route);
        for (int i = 0; i < rules.size(); i++) {
            boolean stable = refs(rules.get(i)).stream().anyMatch(r -> isService(r, target.stableService()));
            boolean canary = refs(rules.get(i)).stream().anyMatch(r -> isService(r, target.canaryService()));
            if (stable != canary) {
                throw new ActionFailure("HTTPRoute '" + target.name() + "' rule " + i + " has a backendRef to Service '"
                        + (stable ? target.stableService() : target.canaryService()) + "' but none to '"
                        + (stable ? target.canaryService() : target.stableService())
                        + "'; every rule that routes to one must list both (the canary with weight: 0)");
            }
            if (stable) shifted++;
        }
        if (shifted == 0) {
            throw new ActionFailure("HTTPRoute '" + target.name() + "' has no rule with backendRefs to Services '"
                    + target.stableService() + "' and '" + target.canaryService() + "'");
        }
    }

    private static List<Map<String, Object>> rules(GenericKubernetesResource route) {
        Object spec = route.getAdditionalProperties().get("spec");
        Object rules = spec instanceof Map<?, ?> m ? m.get("rules") : null;
        return rules instanceof List<?> l ? onlyMaps(l) : List.of();
    }

    private static List<Map<String, Object>> refs(Map<String, Object> rule) {
        Object refs = rule.get("backendRefs");
        return refs instanceof List<?> l ? onlyMaps(l) : List.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> onlyMaps(List<?> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> m) out.add((Map<String, Object>) m);
        }
        return out;
    }

    /** A backendRef to a core Service: kind absent or Service, group absent or "" (the Gateway API defaults). */
    private static boolean isService(Map<String, Object> ref, String name) {
        Object kind = ref.getOrDefault("kind", "Service");
        Object group = ref.getOrDefault("group", "");
        return name.equals(ref.get("name")) && "Service".equals(kind) && "".equals(group);
    }
}
