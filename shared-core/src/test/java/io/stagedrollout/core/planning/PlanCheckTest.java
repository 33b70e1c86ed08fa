package io.stagedrollout.core.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanCheckTest {
    static final String PLAN = """
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, bake: 10m, gates: [error-rate]}
              - {name: half, exposure: 50%, bake: 30m, gates: [error-rate]}
              - {name: everyone, exposure: 100%, bake: 1h, gates: [error-rate]}
            gates:
              error-rate: {kind: metrics, endpoint: "http://127.0.0.1:1/metrics", errors: e, total: t, max: 0.008}
            """;

    static RolloutPlan plan(String text) throws Exception {
        return PlanReader.parse(text);
    }

    @Test
    void ringThatBakesTooShortIsWarnedWithTheBakeItNeeds() throws Exception {
        PlanningReport r = PlanCheck.of(plan(PLAN), PlanningInputs.of(50, 0.005, 2.0));
        RingCheck canary = r.rings().get(0);
        double n = TwoProportionPower.canaryRequests(0.005, 0.01, 19, 0.05, 0.8, false);
        assertThat(canary.canaryRequests()).isEqualTo(n);
        assertThat(canary.minBake()).isEqualTo(Duration.ofSeconds((long) Math.ceil(n / (50 * 0.05))));
        assertThat(canary.bakesEnough()).isFalse();
        assertThat(canary.power()).isLessThan(0.8);
        assertThat(canary.warning()).startsWith("bakes 10m, less than the").contains("0.5% → 1%", "power 0.8");
        assertThat(r.ok()).isFalse();
    }

    @Test
    void ringThatBakesLongEnoughIsOk() throws Exception {
        PlanningReport r = PlanCheck.of(plan(PLAN), PlanningInputs.of(50, 0.005, 2.0));
        RingCheck half = r.rings().get(1);
        assertThat(half.bake()).isGreaterThan(half.minBake());
        assertThat(half.bakesEnough()).isTrue();
        assertThat(half.power()).isGreaterThan(0.8);
    }

    @Test
    void fullRingIsJudgedAgainstTheKnownBaselineRate() throws Exception {
        PlanningReport r = PlanCheck.of(plan(PLAN), PlanningInputs.of(50, 0.005, 2.0));
        assertThat(r.rings().get(2).baselinePerCanary()).isInfinite();
        assertThat(r.rings().get(2).canaryRequests())
                .isEqualTo(TwoProportionPower.canaryRequests(0.005, 0.01, Double.POSITIVE_INFINITY, 0.05, 0.8, false));
    }

    @Test
    void withoutRegressionTheGateMaxIsTheErrorRateToCatch() throws Exception {
        PlanningReport r = PlanCheck.of(plan(PLAN), PlanningInputs.of(50, 0.005, null));
        assertThat(r.rings().get(0).targetErrorRate()).isEqualTo(0.008);
        assertThat(r.blast()).isNotNull();
    }

    @Test
    void gateMaxAboveTheRegressionIsWarned() throws Exception {
        PlanningReport r = PlanCheck.of(plan(PLAN), PlanningInputs.of(50, 0.005, 1.5));
        assertThat(r.warnings()).anyMatch(w -> w.contains("its gate max 0.8% is not below the regressed error rate 0.75%"));
    }

    @Test
    void gateCountThatOutlastsTheBakeCountsAsBake() throws Exception {
        RolloutPlan p = plan(PLAN.replace("max: 0.008}", "max: 0.008, count: 40, interval: 30s}"));
        RingCheck canary = PlanCheck.of(p, PlanningInputs.of(50, 0.005, 2.0)).rings().get(0);
        assertThat(canary.bake()).isEqualTo(Duration.ofSeconds(39 * 30)); // the 40th measurement is due at 19m30s
        assertThat(canary.bakesEnough()).isTrue();
    }

    @Test
    void ringWithoutGatesCannotCatchAnything() throws Exception {
        RolloutPlan p = plan(PLAN.replace("bake: 10m, gates: [error-rate]", "bake: 10m"));
        PlanningReport r = PlanCheck.of(p, PlanningInputs.of(50, 0.005, 2.0));
        assertThat(r.rings().get(0).power()).isZero();
        assertThat(r.rings().get(0).warning()).contains("no gates");
    }

    @Test
    void stagedPlanReachesFewerUsersThanBigBang() throws Exception {
        PlanningInputs in = new PlanningInputs(50, 0.005, 2.0, 0.05, 0.8, 100_000.0, false);
        PlanningReport r = PlanCheck.of(plan(PLAN), in);
        BlastRadius b = r.blast();
        assertThat(b.bigBangUsers()).isEqualTo(100_000.0);
        assertThat(b.planUsers()).isLessThan(b.bigBangUsers() / 2);
        assertThat(b.escapeProbability()).isBetween(0.0, 0.05);
        assertThat(b.bigBangRequests()).isEqualTo(TwoProportionPower.canaryRequests(0.005, 0.01, Double.POSITIVE_INFINITY, 0.05, 0.8, false));
        assertThat(b.badRequestsPlan()).isEqualTo(b.planRequests() * 0.005, org.assertj.core.api.Assertions.within(1e-9));
    }

    @Test
    void blastRadiusSumsTheRingsByTheirChanceOfBeingReached() throws Exception {
        String one = """
                service: checkout
                environment: production
                rings:
                  - {name: canary, exposure: 10%, bake: 1m, gates: [error-rate]}
                  - {name: everyone, exposure: 100%, bake: 0s}
                gates:
                  error-rate: {kind: metrics, endpoint: "http://127.0.0.1:1/metrics", errors: e, total: t, max: 0.5}
                """;
        PlanningInputs in = new PlanningInputs(100, 0.01, 2.0, 0.05, 0.8, 1000.0, false);
        BlastRadius b = PlanCheck.of(plan(one), in).blast();
        double power = TwoProportionPower.power(0.01, 0.02, 9, 0.05, 100 * 0.1 * 60, false);
        // the canary ring's 600 requests are all served (its bake is shorter than it needs); the last ring has no gates
        assertThat(b.planRequests()).isCloseTo(600, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(b.escapeProbability()).isCloseTo(1 - power, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(b.planUsers()).isCloseTo(1000 * (power * 0.1 + (1 - power)), org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void linesNameEveryRingAndBothRadii() throws Exception {
        List<String> lines = PlanCheck.of(plan(PLAN), new PlanningInputs(50, 0.005, 2.0, 0.05, 0.8, 100_000.0, false)).lines();
        String text = String.join("\n", lines);
        assertThat(text).contains("Bake-time check", "canary", "half", "everyone", "warning: bakes 10m", "this plan: ~",
                "big-bang:  ~", "100,000 users");
    }

    @Test
    void inputsAreReadFromThePlanSection() {
        List<Problem> problems = new ArrayList<>();
        PlanningInputs in = PlanningInputs.read(SpecReader.of(Map.of("requestsPerSecond", 50, "baselineErrorRate", 0.005,
                "regression", "2x", "alpha", 0.01, "power", 0.9, "users", 5000), "planning", problems));
        assertThat(problems).isEmpty();
        assertThat(in).isEqualTo(new PlanningInputs(50, 0.005, 2.0, 0.01, 0.9, 5000.0, false));
    }

    @Test
    void badInputsAreProblemsWithTheirPaths() {
        List<Problem> problems = new ArrayList<>();
        PlanningInputs in = PlanningInputs.read(SpecReader.of(Map.of("baselineErrorRate", 1.5, "regression", "half",
                "alpha", 0.7), "planning", problems));
        assertThat(in).isNull();
        assertThat(problems.toString()).contains("planning.requestsPerSecond: is required", "planning.baselineErrorRate: must be above 0 and below 1",
                "planning.regression: must be a multiple", "planning.alpha: must be above 0 and below 0.5");
    }
}
