package io.jenkins.plugins.stagedrollout.logic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.Ring;
import io.stagedrollout.core.plan.RolloutPlan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlanDefaultsTest {
    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - name: canary
                exposure: 5%
              - name: early-adopters
                exposure: 25%
                bake: 0s
              - name: everyone
                exposure: 100%
                bake: 1h
            """;

    @Test
    void ringsWithoutABakeGetTheDefaultAndOthersKeepTheirs() throws Exception {
        RolloutPlan plan = PlanDefaults.read(PLAN, Duration.ofMinutes(10));

        assertThat(plan.rings()).extracting(Ring::bake)
                .containsExactly(Duration.ofMinutes(10), Duration.ZERO, Duration.ofHours(1));
    }

    @Test
    void withoutADefaultThePlanIsReadAsWritten() throws Exception {
        assertThat(PlanDefaults.read(PLAN, null).ring(0).bake()).isZero();
    }

    @Test
    void shorthandPlansGetTheDefaultAsTheirSharedBake() throws Exception {
        RolloutPlan plan = PlanDefaults.read("""
                service: checkout
                environment: production
                strategy: percentage
                steps: [10, 50, 100]
                """, Duration.ofMinutes(5));

        assertThat(plan.rings()).extracting(Ring::bake).containsOnly(Duration.ofMinutes(5));
    }

    @Test
    void problemsAreReportedWithTheLinesTheUserWrote() {
        assertThatThrownBy(() -> PlanDefaults.read(PLAN.replace("exposure: 25%", "exposure: 250%"), Duration.ofMinutes(10)))
                .isInstanceOf(InvalidPlanException.class)
                .satisfies(e -> assertThat(((InvalidPlanException) e).problems())
                        .anySatisfy(p -> assertThat(p.line()).isEqualTo(7)));
    }

    @Test
    void aBadDefaultBakeIsNamed() {
        assertThat(PlanDefaults.problem("10 minutes")).contains("30s, 10m or 1h30m");
        assertThat(PlanDefaults.problem("10m")).isNull();
        assertThat(PlanDefaults.problem("")).isNull();
    }
}
