package io.stagedrollout.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanReaderTest {
    static final String VALID = """
            service: checkout
            environment: production
            rings:
              - name: canary
                exposure: 5%
                bake: 10m
                gates: [error-rate, smoke]
              - name: early-adopters
                exposure: 25
                bake: 1h30m
                gates: [error-rate, sign-off]
                onFailure: hold
              - name: everyone
                exposure: 100%
                deploy: deploy-global
            gates:
              error-rate:
                kind: metrics
                endpoint: http://127.0.0.1:8080/metrics
                errors: http_requests_errors_total
                total: http_requests_total
                max: 0.01
                interval: 30s
                failureLimit: 1
              smoke:
                kind: http
                url: http://127.0.0.1:8080/healthz
              sign-off:
                kind: approval
            actions:
              deploy:        {kind: command, command: ["./deploy.sh"]}
              deploy-global: {kind: command, command: ["./deploy.sh", "--all-regions"]}
              revert:        {kind: command, command: ["./deploy.sh", "--revert"]}
            """;

    static List<Problem> problems(String yaml) {
        try {
            PlanReader.parse(yaml);
        } catch (InvalidPlanException e) {
            return e.problems();
        }
        throw new AssertionError("expected the plan to be invalid");
    }

    static Problem only(String yaml) {
        List<Problem> p = problems(yaml);
        assertThat(p).hasSize(1);
        return p.get(0);
    }

    @Test
    void aValidPlanReadsIntoRecords() throws Exception {
        RolloutPlan plan = PlanReader.parse(VALID);
        assertThat(plan.key()).isEqualTo("checkout/production");
        assertThat(plan.rings()).extracting(Ring::name).containsExactly("canary", "early-adopters", "everyone");
        assertThat(plan.ring(1).exposure().percent()).isEqualTo(25.0);
        assertThat(plan.ring(1).bake()).isEqualTo(Duration.ofMinutes(90));
        assertThat(plan.ring(1).onFailure()).isEqualTo(OnVerdict.HOLD);
        assertThat(plan.ring(2).deploy()).isEqualTo("deploy-global");
        assertThat(plan.gates().get("error-rate").failureLimit()).isEqualTo(1);
        assertThat(plan.gates().get("error-rate").settings()).containsEntry("max", 0.01).doesNotContainKey("failureLimit");
    }

    @Test
    void anApprovalGateMakesTheRingManualAndIsNotAProbe() throws Exception {
        RolloutPlan plan = PlanReader.parse(VALID);
        assertThat(plan.ring(1).approval()).isEqualTo(Approval.MANUAL);
        assertThat(plan.ring(1).gates()).containsExactly("error-rate");
        assertThat(plan.gates()).doesNotContainKey("sign-off");
    }

    @Test
    void jsonPlansAreReadToo() throws Exception {
        RolloutPlan plan = PlanReader.parse("""
                {"service": "api", "environment": "prod", "strategy": "bigbang"}""");
        assertThat(plan.rings()).singleElement().satisfies(r -> assertThat(r.exposure().percent()).isEqualTo(100.0));
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPathAndLine() {
        List<Problem> p = problems("""
                service: Checkout
                environment: production
                rings:
                  - name: canary
                    exposure: 150%
                    bake: ten minutes
                  - name: canary
                    exposure: 100%
                    gates: [missing]
                """);
        assertThat(p).extracting(Problem::path).containsExactly("service", "rings[0].exposure", "rings[0].bake",
                "rings[1].name", "rings[1].gates[0]");
        assertThat(p).extracting(Problem::line).containsExactly(1, 5, 6, 7, 9);
    }

    @Test
    void duplicateRingNamesAreRefused() {
        assertThat(only(VALID.replace("name: everyone", "name: canary")).message()).contains("duplicate ring name 'canary'");
    }

    @Test
    void exposureOutOfRangeIsRefused() {
        Problem p = only(VALID.replace("exposure: 5%", "exposure: 0%"));
        assertThat(p.path()).isEqualTo("rings[0].exposure");
        assertThat(p.message()).contains("more than 0%");
    }

    @Test
    void exposureThatIsNotANumberIsRefused() {
        assertThat(only(VALID.replace("exposure: 5%", "exposure: lots")).message()).contains("not a percentage");
    }

    @Test
    void exposureThatDecreasesIsRefused() {
        Problem p = only(VALID.replace("exposure: 25", "exposure: 4"));
        assertThat(p.path()).isEqualTo("rings[1].exposure");
        assertThat(p.message()).contains("never decreases");
    }

    @Test
    void aLastRingShortOfEveryoneIsRefused() {
        Problem p = only(VALID.replace("exposure: 100%", "exposure: 50%"));
        assertThat(p.message()).contains("the last ring must reach 100%");
    }

    @Test
    void anUnknownGateReferenceIsRefused() {
        Problem p = only(VALID.replace("gates: [error-rate, smoke]", "gates: [error-rate, smoky]"));
        assertThat(p.path()).isEqualTo("rings[0].gates[1]");
        assertThat(p.message()).contains("'smoky'");
    }

    @Test
    void anUnknownActionReferenceIsRefused() {
        Problem p = only(VALID.replace("deploy: deploy-global", "deploy: deploy-mars"));
        assertThat(p.path()).isEqualTo("rings[2].deploy");
    }

    @Test
    void aPlanWithActionsButNoRevertIsRefused() {
        assertThat(only(VALID.replace("  revert:        {kind: command, command: [\"./deploy.sh\", \"--revert\"]}\n", ""))
                .message()).contains("no 'revert' action");
    }

    @Test
    void badDurationsAreRefused() {
        Problem p = only(VALID.replace("bake: 10m", "bake: 10 minutes"));
        assertThat(p.path()).isEqualTo("rings[0].bake");
        assertThat(p.message()).contains("not a duration");
        assertThat(only(VALID.replace("interval: 30s", "interval: 50ms")).message()).contains("at least 100ms");
        assertThat(only(VALID.replace("bake: 10m", "bake: 400d")).message()).contains("at most 30d");
    }

    @Test
    void missingRequiredFieldsAreRefused() {
        assertThat(only(VALID.replace("environment: production\n", "")).path()).isEqualTo("environment");
        assertThat(only(VALID.replace("    url: http://127.0.0.1:8080/healthz\n", "")).path()).isEqualTo("gates.smoke.url");
        assertThat(only(VALID.replace("  - name: everyone\n", "  - exposure: 100%\n").replace("    exposure: 100%\n    deploy", "    deploy"))
                .path()).isEqualTo("rings[2].name");
    }

    @Test
    void unknownFieldsAreErrorsWithASuggestion() {
        Problem p = only(VALID.replace("failureLimit: 1", "failurelimit: 1"));
        assertThat(p.path()).isEqualTo("gates.error-rate.failurelimit");
        assertThat(p.message()).contains("unknown field").contains("did you mean 'failureLimit'");
        assertThat(only(VALID + "colour: blue\n").path()).isEqualTo("colour");
    }

    @Test
    void wrongTypesAreRefused() {
        assertThat(only(VALID.replace("failureLimit: 1", "failureLimit: many")).message()).contains("whole number");
        assertThat(only(VALID.replace("max: 0.01", "max: [1]")).message()).contains("finite number");
    }

    @Test
    void duplicateKeysAreRefused() {
        Problem p = only(VALID.replace("service: checkout\n", "service: checkout\nservice: payments\n"));
        assertThat(p.message()).contains("duplicate key 'service'");
        assertThat(p.line()).isEqualTo(2);
    }

    @Test
    void unknownGateAndActionKindsAreRefused() {
        assertThat(only(VALID.replace("kind: http", "kind: carrier-pigeon")).message()).contains("unknown gate kind");
        assertThat(problems(VALID.replace("deploy-global: {kind: command", "deploy-global: {kind: telnet")))
                .anySatisfy(p -> assertThat(p.message()).contains("unknown action kind 'telnet'"));
    }

    @Test
    void theServiceAndEnvironmentMustBeSafeKeyParts() {
        assertThat(only(VALID.replace("service: checkout", "service: ../etc")).path()).isEqualTo("service");
    }

    @Test
    void targetRingsGetTheirShareOfAllTargetsAsExposure() throws Exception {
        RolloutPlan plan = PlanReader.parse("""
                service: edge
                environment: prod
                rings:
                  - {name: one-zone, targets: [eu-1a]}
                  - {name: europe, targets: [eu-1b, eu-1c, eu-1d]}
                """);
        assertThat(plan.ring(0).exposure().percent()).isEqualTo(25.0);
        assertThat(plan.ring(1).exposure().percent()).isEqualTo(100.0);
    }

    @Test
    void percentageShorthandExpandsToOneRingPerStep() throws Exception {
        RolloutPlan plan = PlanReader.parse("""
                service: api
                environment: prod
                strategy: percentage
                steps: [0.5, 5, 25, 100]
                bake: 5m
                approval: manual
                gates:
                  smoke: {kind: http, url: "http://127.0.0.1/healthz"}
                """);
        assertThat(plan.rings()).extracting(Ring::name).containsExactly("0.5pct", "5pct", "25pct", "100pct");
        assertThat(plan.rings()).allSatisfy(r -> {
            assertThat(r.bake()).isEqualTo(Duration.ofMinutes(5));
            assertThat(r.gates()).containsExactly("smoke");
            assertThat(r.approval()).isEqualTo(Approval.MANUAL);
        });
    }

    @Test
    void canaryShorthandIsACanaryRingThenEveryone() throws Exception {
        RolloutPlan plan = PlanReader.parse("service: api\nenvironment: prod\nstrategy: canary\nsteps: [2]\nbake: 1m\n");
        assertThat(plan.rings()).extracting(Ring::name).containsExactly("canary", "everyone");
        assertThat(plan.ring(0).exposure().percent()).isEqualTo(2.0);
    }

    @Test
    void emptyAndNonTextPlansAreRefusedClearly() {
        assertThat(only("").message()).contains("empty");
        assertThat(only("   \n# only a comment\n").message()).contains("empty");
        assertThat(only("- just\n- a list\n").message()).contains("a plan is a mapping");
        assertThat(only("a\u0000b").message()).contains("NUL");
    }

    @Test
    void yamlAnchorsAndAliasesShareValues() throws Exception {
        RolloutPlan plan = PlanReader.parse(VALID.replace("gates: [error-rate, smoke]", "gates: &common [error-rate, smoke]")
                .replace("    deploy: deploy-global", "    deploy: deploy-global\n    gates: *common"));
        assertThat(plan.ring(2).gates()).containsExactly("error-rate", "smoke");
    }

    @Test
    void anAliasBombStopsAtTheNodeBudget() {
        StringBuilder sb = new StringBuilder("a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            sb.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> PlanReader.parse(sb.toString())).isInstanceOf(InvalidPlanException.class)
                .hasMessageContaining("alias bomb");
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(5_000);
    }
}
