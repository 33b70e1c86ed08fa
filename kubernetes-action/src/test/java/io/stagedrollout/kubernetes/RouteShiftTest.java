package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.stagedrollout.core.action.Action;
import io.stagedrollout.core.action.ActionResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class RouteShiftTest {
    KubernetesClient client;
    Cluster cluster;

    static final String ROUTE = """
            apiVersion: gateway.networking.k8s.io/v1
            kind: HTTPRoute
            metadata:
              name: checkout
              namespace: shop
            spec:
              parentRefs:
                - name: public
              rules:
                - matches:
                    - path: {type: PathPrefix, value: /api}
                  backendRefs:
                    - {name: checkout, port: 8080, weight: 100}
                    - {name: checkout-canary, port: 8080, weight: 0}
                - matches:
                    - path: {type: PathPrefix, value: /static}
                  backendRefs:
                    - {name: assets, port: 80}
                - backendRefs:
                    - {name: checkout, port: 8080}
                    - {name: checkout-canary, port: 8080, weight: 0}
            """;

    @BeforeEach
    void setUp() {
        cluster = new Cluster(client);
    }

    private static Map<String, Object> settings(Object... extra) {
        Map<String, Object> s = new LinkedHashMap<>(Map.of(
                "mode", "httproute",
                "route", "checkout",
                "stableService", "checkout",
                "canaryService", "checkout-canary",
                "readyTimeout", "0s"));
        for (int i = 0; i < extra.length; i += 2) s.put((String) extra[i], extra[i + 1]);
        return s;
    }

    /** {stable, canary} weight of every rule that holds both Services. */
    @SuppressWarnings("unchecked")
    private List<List<Object>> weights() {
        GenericKubernetesResource r = cluster.routeNamed("checkout");
        List<Map<String, Object>> rules = r.get("spec", "rules");
        return rules.stream()
                .map(rule -> (List<Map<String, Object>>) rule.get("backendRefs"))
                .filter(refs -> refs.size() == 2)
                .map(refs -> List.<Object>of(refs.get(0).get("weight"), refs.get(1).get("weight")))
                .toList();
    }

    @Test
    void ringsSetTheRouteWeightsThePlanSays() throws Exception {
        cluster.route(ROUTE);
        Action action = cluster.action(settings());

        for (int percent : new int[] {5, 25, 50, 100}) {
            ActionResult r = cluster.deploy(action, String.valueOf(percent), "1.5.0");
            assertThat(r.ok()).as(r.detail()).isTrue();
            assertThat(r.actualPercent()).isNull();
            assertThat(weights()).as("at %d%%", percent)
                    .containsOnly(List.of(100 - percent, percent));
        }
        assertThat(cluster.output).contains("route checkout: checkout-canary weight 5/100 (5%), checkout 95");
    }

    @Test
    void otherRulesKeepTheirBackends() throws Exception {
        cluster.route(ROUTE);

        cluster.deploy(cluster.action(settings()), "25", "1.5.0");

        List<Map<String, Object>> rules = cluster.routeNamed("checkout").get("spec", "rules");
        assertThat(rules.get(1).get("backendRefs")).isEqualTo(List.of(Map.of("name", "assets", "port", 80)));
    }

    @Test
    void largerWeightTotalCarriesExposureBelowOnePercent() throws Exception {
        cluster.route(ROUTE);

        ActionResult r = cluster.deploy(cluster.action(settings("weightTotal", 1000)), "0.5", "1.5.0");

        assertThat(r.actualPercent()).isNull();
        assertThat(weights()).containsOnly(List.of(995, 5));
    }

    @Test
    void exposureTheWeightsCannotCarryIsReportedAsTheActualOne() throws Exception {
        cluster.route(ROUTE);

        ActionResult r = cluster.deploy(cluster.action(settings()), "0.25", "1.5.0");

        assertThat(weights()).as("never 0 while exposure > 0").containsOnly(List.of(99, 1));
        assertThat(r.actualPercent()).isEqualTo(1.0);
        assertThat(r.detail()).contains("(1%, asked 0.25%)");
    }

    @Test
    void revertSendsEverythingToTheStableService() throws Exception {
        cluster.route(ROUTE);
        Action action = cluster.action(settings());
        cluster.deploy(action, "50", "1.5.0");

        ActionResult r = cluster.revert(action, "1.4.0", "1.5.0");

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(weights()).containsOnly(List.of(100, 0));
    }

    @Test
    void promotionMovesTheStableToTheNewImageThenTheTraffic() throws Exception {
        cluster.route(ROUTE);
        cluster.deployment("checkout", 4, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 1, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings("stableDeployment", "checkout", "canaryDeployment", "checkout-canary",
                "container", "app", "image", "registry.example.com/checkout:{{version}}"));

        cluster.deploy(action, "5", "1.5.0");
        assertThat(cluster.image("checkout-canary")).isEqualTo("registry.example.com/checkout:1.5.0");
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.4.0");

        ActionResult r = cluster.deploy(action, "100", "1.5.0");

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.5.0");
        assertThat(weights()).containsOnly(List.of(100, 0));
        assertThat(cluster.replicas("checkout")).as("replicas are not this mode's business").isEqualTo(4);
    }

    @Test
    void revertAfterPromotionPutsTheStableBackOnTheStableVersion() throws Exception {
        cluster.route(ROUTE);
        cluster.deployment("checkout", 4, "registry.example.com/checkout:1.4.0");
        cluster.deployment("checkout-canary", 1, "registry.example.com/checkout:1.4.0");
        Action action = cluster.action(settings("stableDeployment", "checkout", "canaryDeployment", "checkout-canary",
                "container", "app", "image", "registry.example.com/checkout:{{version}}"));
        cluster.deploy(action, "100", "1.5.0");

        ActionResult r = cluster.revert(action, "1.4.0", "1.5.0");

        assertThat(r.ok()).as(r.detail()).isTrue();
        assertThat(cluster.image("checkout")).isEqualTo("registry.example.com/checkout:1.4.0");
        assertThat(weights()).containsOnly(List.of(100, 0));
    }

    @Test
    void routeWithoutTheCanaryBackendFailsAndIsLeftAlone() throws Exception {
        // the first rule loses its canary backendRef
        cluster.route(ROUTE.replaceFirst("(?m)^ +- \\{name: checkout-canary, port: 8080, weight: 0}\n", ""));

        ActionResult r = cluster.deploy(cluster.action(settings()), "5", "1.5.0");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("HTTPRoute 'checkout' rule 0 has a backendRef to Service 'checkout' but none "
                + "to 'checkout-canary'; every rule that routes to one must list both (the canary with weight: 0)");
        List<Map<String, Object>> rules = cluster.routeNamed("checkout").get("spec", "rules");
        assertThat(rules.get(2).get("backendRefs").toString()).contains("weight=0");
    }

    @Test
    void missingRouteFailsWithItsName() throws Exception {
        ActionResult r = cluster.deploy(cluster.action(settings()), "5", "1.5.0");

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).isEqualTo("HTTPRoute 'checkout' not found in namespace 'shop'");
    }
}
