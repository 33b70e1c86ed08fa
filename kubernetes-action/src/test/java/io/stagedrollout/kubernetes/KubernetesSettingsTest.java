package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.SpecReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesSettingsTest {

    private static List<String> problems(Object... fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < fields.length; i += 2) m.put((String) fields[i], fields[i + 1]);
        List<Problem> problems = new ArrayList<>();
        SpecReader r = SpecReader.of(m, "actions.deploy", problems);
        new KubernetesActionKind().validate(r);
        r.finish(); // as the plan reader does
        return problems.stream().map(p -> p.path() + ": " + p.message()).toList();
    }

    private static final Object[] REPLICAS = {"mode", "replicas", "stableDeployment", "checkout",
        "canaryDeployment", "checkout-canary", "image", "registry.example.com/checkout:{{version}}"};

    private static Object[] replicasWith(Object... more) {
        Object[] out = java.util.Arrays.copyOf(REPLICAS, REPLICAS.length + more.length);
        System.arraycopy(more, 0, out, REPLICAS.length, more.length);
        return out;
    }

    @Test
    void completeReplicasActionHasNoProblem() {
        assertThat(problems(replicasWith("namespace", "shop", "context", "prod-eu", "container", "app",
                "replicas", 20, "readyTimeout", "10m"))).isEmpty();
    }

    @Test
    void completeRouteActionHasNoProblem() {
        assertThat(problems("mode", "httproute", "route", "checkout", "stableService", "checkout",
                "canaryService", "checkout-canary", "weightTotal", 10000)).isEmpty();
    }

    @Test
    void modeIsRequired() {
        assertThat(problems("stableDeployment", "checkout"))
                .anyMatch(p -> p.startsWith("actions.deploy.mode: is required"));
    }

    @Test
    void unknownModeNamesTheChoices() {
        assertThat(problems("mode", "istio"))
                .contains("actions.deploy.mode: must be one of replicas, httproute, not 'istio'");
    }

    @Test
    void unknownFieldIsAnErrorWithASuggestion() {
        assertThat(problems(replicasWith("replica", 3)))
                .containsExactly("actions.deploy.replica: unknown field 'replica' (did you mean 'replicas'?)");
    }

    @Test
    void replicasModeNeedsBothDeploymentsAndTheImage() {
        assertThat(problems("mode", "replicas")).containsExactlyInAnyOrder(
                "actions.deploy.stableDeployment: is required with mode: replicas (the Deployment running the stable version)",
                "actions.deploy.canaryDeployment: is required with mode: replicas (the Deployment that runs the new version)",
                "actions.deploy.image: is required with mode: replicas (the canary's image with {{version}}, "
                        + "e.g. registry.example.com/app:{{version}})");
    }

    @Test
    void routeModeNeedsTheRouteAndBothServices() {
        assertThat(problems("mode", "httproute")).extracting(p -> p.substring(0, p.indexOf(':')))
                .containsExactlyInAnyOrder("actions.deploy.route", "actions.deploy.stableService",
                        "actions.deploy.canaryService");
    }

    @Test
    void fieldOfTheOtherModeIsAnError() {
        assertThat(problems(replicasWith("weightTotal", 1000)))
                .containsExactly("actions.deploy.weightTotal: is only used with mode: httproute");
        assertThat(problems("mode", "httproute", "route", "r", "stableService", "a", "canaryService", "b",
                "replicas", 3)).containsExactly("actions.deploy.replicas: is only used with mode: replicas");
    }

    @Test
    void imageWithoutTheVersionPlaceholderIsAnError() {
        assertThat(problems(replicasWith("image", "registry.example.com/checkout:latest")))
                .containsExactly("actions.deploy.image: must contain {{version}} where the rollout's version goes, "
                        + "e.g. registry.example.com/app:{{version}}");
    }

    @Test
    void imageWithAnUnknownPlaceholderIsAnError() {
        assertThat(problems(replicasWith("image", "registry.example.com/{{service}}:{{version}}")))
                .containsExactly("actions.deploy.image: has an unknown placeholder '{{service}}'; only {{version}} is filled in");
    }

    @Test
    void namesMustBeKubernetesNames() {
        assertThat(problems(replicasWith("stableDeployment", "Checkout_App", "namespace", "shop;rm")))
                .anyMatch(p -> p.startsWith("actions.deploy.stableDeployment: must be a Deployment name"))
                .anyMatch(p -> p.startsWith("actions.deploy.namespace: must be a DNS label"));
    }

    @Test
    void stableAndCanaryMustDiffer() {
        assertThat(problems(replicasWith("canaryDeployment", "checkout")))
                .containsExactly("actions.deploy.canaryDeployment: must differ from stableDeployment ('checkout')");
    }

    @Test
    void replicasAndWeightTotalHaveBounds() {
        assertThat(problems(replicasWith("replicas", 0)))
                .containsExactly("actions.deploy.replicas: must be from 1 to 10000, not 0");
        assertThat(problems("mode", "httproute", "route", "r", "stableService", "a", "canaryService", "b",
                "weightTotal", 2_000_000)).containsExactly("actions.deploy.weightTotal: must be from 1 to 1000000, not 2000000");
    }

    @Test
    void routeModeTakesTheCanaryDeploymentOnlyWithItsImage() {
        assertThat(problems("mode", "httproute", "route", "r", "stableService", "a", "canaryService", "b",
                "canaryDeployment", "checkout-canary")).containsExactly("actions.deploy.image: canaryDeployment and "
                        + "image go together: set both to have the action put the new version on the canary "
                        + "Deployment, or neither");
    }

    @Test
    void badReadyTimeoutNamesTheField() {
        assertThat(problems(replicasWith("readyTimeout", "soon")))
                .singleElement().asString().startsWith("actions.deploy.readyTimeout: is not a duration: 'soon'");
    }
}
