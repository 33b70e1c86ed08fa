package io.stagedrollout.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16.6: a deploy or revert program sees only what the plan passes it, never the host's secrets. */
class ActionEnvironmentTest {
    private static final Map<String, String> HOST = Map.of(
            "PATH", "/usr/bin:/bin", "HOME", "/home/ci", "LANG", "C.UTF-8", "LC_ALL", "C.UTF-8",
            "ROLLOUT_METRICS_TOKEN", "metrics-secret", "ROLLOUT_DB_PASSWORD", "db-secret",
            "CI_JOB_TOKEN", "job-token", "AWS_SECRET_ACCESS_KEY", "aws-secret", "KUBECONFIG", "/home/ci/.kube/config");

    private final ActionEnvironment host = new ActionEnvironment(HOST, Path.of("."), null);

    @Test
    void aCommandGetsTheHostBasicsThePlansValuesAndTheRolloutsVariablesOnly() {
        Map<String, String> env = host.forCommand(List.of(), Map.of("REGION", "eu"), Map.of("ROLLOUT_RING", "canary"));

        assertThat(env).containsOnlyKeys("PATH", "HOME", "LANG", "LC_ALL", "REGION", "ROLLOUT_RING");
    }

    @Test
    void aHostVariableReachesACommandOnlyWhenThePlanNamesIt() {
        Map<String, String> env = host.forCommand(List.of("KUBECONFIG", "NOT_SET"), Map.of(), Map.of());

        assertThat(env).containsEntry("KUBECONFIG", "/home/ci/.kube/config").doesNotContainKeys("NOT_SET",
                "AWS_SECRET_ACCESS_KEY", "CI_JOB_TOKEN");
    }

    @Test
    void theRolloutsOwnSecretsAreNeverPassedEvenWhenNamed() {
        Map<String, String> env = host.forCommand(List.of("ROLLOUT_METRICS_TOKEN", "ROLLOUT_DB_PASSWORD"), Map.of(), Map.of());

        assertThat(env.values()).doesNotContain("metrics-secret", "db-secret");
    }

    @Test
    void aPlanNamingARolloutVariableOrANonNameInPassEnvIsRefusedWithThePath() {
        String plan = """
                service: checkout
                environment: production
                rings: [{name: everyone, exposure: 100%}]
                actions:
                  deploy: {kind: command, command: ["./deploy.sh"], passEnv: [ROLLOUT_METRICS_TOKEN, "A-B"]}
                  revert: {kind: command, command: ["./deploy.sh"]}
                """;
        assertThatThrownBy(() -> PlanReader.parse(plan))
                .isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("actions.deploy.passEnv[0]").hasMessageContaining("actions.deploy.passEnv[1]");
    }
}
