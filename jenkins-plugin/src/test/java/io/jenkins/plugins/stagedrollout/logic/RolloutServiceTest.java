package io.jenkins.plugins.stagedrollout.logic;

import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.ALICE;
import static io.jenkins.plugins.stagedrollout.fixtures.TestRollouts.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.stagedrollout.fixtures.Plans;
import io.jenkins.plugins.stagedrollout.fixtures.TestRollouts;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.engine.EngineResult;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.machine.Target;
import io.stagedrollout.core.plan.RolloutPlan;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RolloutServiceTest {
    @TempDir
    Path dir;

    TestRollouts t;
    RolloutService service;
    RolloutPlan plan;

    @BeforeEach
    void setUp() throws Exception {
        t = new TestRollouts(dir);
        service = t.service;
        plan = Plans.parse(t.planText());
    }

    @AfterEach
    void tearDown() {
        t.close();
    }

    /** Ticks the ring's bake to its end on the test clock, as the durable timer would. */
    StageView bake(int ring) throws Exception {
        StageView v = service.tick(KEY, TestRollouts.idOf(service), ring, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);
        for (int i = 0; i < 100 && v.kind() == StageView.Kind.BAKING; i++) {
            t.clock.set(v.wakeAt().isAfter(t.clock.instant()) ? v.wakeAt() : t.clock.instant().plusSeconds(1));
            v = service.tick(KEY, TestRollouts.idOf(service), ring, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);
        }
        return v;
    }

    StageView deployCanary() throws Exception {
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);
        return service.deployed(KEY, TestRollouts.idOf(service), 0, true, "deployed", TestRollouts.AS_ALICE);
    }

    @Test
    void firstStageStartsTheRolloutAndGivesTheBodyTheRingVariables() throws Exception {
        StageStart s = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        assertThat(s.next()).isEqualTo(StageStart.Next.RUN_BODY);
        assertThat(s.state().status()).isEqualTo(Status.DEPLOYING);
        assertThat(s.variables()).containsEntry("ROLLOUT_RING", "canary").containsEntry("ROLLOUT_VERSION", "v2")
                .containsEntry("ROLLOUT_PERCENT", "5").containsEntry("ROLLOUT_SERVICE", "checkout");
    }

    @Test
    void theJournalRecordsTheBuildAndTheUser() throws Exception {
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        RolloutEvent started = service.history(KEY).get(0);
        assertThat(started.actor().name()).isEqualTo("alice");
        assertThat(started.actor().via()).isEqualTo("jenkins");
        assertThat(started.actor().url()).isEqualTo("http://jenkins.example/job/deploy/1/");
    }

    @Test
    void aSecondStageForTheSameRingAttachesToItsBake() throws Exception {
        deployCanary();

        StageStart again = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        assertThat(again.next()).isEqualTo(StageStart.Next.BAKE);
        assertThat(service.history(KEY)).extracting(RolloutEvent::type).filteredOn("STARTED"::equals).hasSize(1);
    }

    @Test
    void anotherVersionIsRefusedWhileARolloutIsActive() throws Exception {
        deployCanary();

        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v3", plan, true), TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("another rollout is active")
                .extracting(e -> ((StageException) e).reason()).isEqualTo(StageException.Reason.CONFLICT);
    }

    @Test
    void aRingCannotJumpTheQueue() throws Exception {
        deployCanary();

        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "everyone", null, null, true), TestRollouts.AS_ALICE))
                .hasMessageContaining("ring everyone cannot start").hasMessageContaining("ring canary is BAKING");
    }

    @Test
    void anUnknownRingIsNamed() throws Exception {
        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canery", "v2", plan, true), TestRollouts.AS_ALICE))
                .hasMessageContaining("ring: 'canery' is not a ring").hasMessageContaining("canary, early-adopters, everyone");
    }

    @Test
    void withoutAPlanThereIsNothingToStart() {
        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", null, true), TestRollouts.AS_ALICE))
                .hasMessageContaining("there is no rollout checkout/production").hasMessageContaining("plan:");
    }

    @Test
    void aPlanForAnotherServiceIsRefused() {
        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of("payments/production", "canary", "v2", plan, true), TestRollouts.AS_ALICE))
                .hasMessageContaining("plan: is for checkout/production but rollout: is payments/production");
    }

    @Test
    void aBadRolloutKeyNamesTheArgument() {
        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of("../etc", "canary", "v2", plan, true), TestRollouts.AS_ALICE))
                .hasMessageStartingWith("rollout: ");
    }

    @Test
    void commandGatesAreRefusedOnTheController() throws Exception {
        RolloutPlan withCommand = Plans.parse(t.planText().replace("kind: http", "kind: command\n    command: [\"true\"]")
                .replaceAll("(?m)^    url: .*\\n", "").replace("    expectStatus: 200\n", ""));

        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", withCommand, true), TestRollouts.AS_ALICE))
                .hasMessageContaining("gates.smoke: kind 'command' would run on the Jenkins controller");
        assertThat(service.read(KEY)).isEmpty();
    }

    @Test
    void aRolloutWhoseGatesTheControllerNoLongerAllowsIsNotMeasured() throws Exception {
        RolloutPlan withCommand = Plans.parse(t.planText().replace("kind: http", "kind: command\n    command: [\"true\"]")
                .replaceAll("(?m)^    url: .*\\n", "").replace("    expectStatus: 200\n", ""));
        try (TestRollouts permissive = new TestRollouts(dir, true)) {
            permissive.service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", withCommand, true), TestRollouts.AS_ALICE);
            permissive.service.deployed(KEY, TestRollouts.idOf(permissive.service), 0, true, "ok", TestRollouts.AS_ALICE);
        }
        try (TestRollouts strict = new TestRollouts(dir, false)) {
            assertThatThrownBy(() -> strict.service.tick(KEY, TestRollouts.idOf(strict.service), 0, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE))
                    .hasMessageContaining("gates.smoke: kind 'command'");
            assertThat(strict.service.history(KEY)).extracting(RolloutEvent::type).doesNotContain("MEASURED");
        }
    }

    @Test
    void aPassingAutoRingIsPromoted() throws Exception {
        deployCanary();

        StageView v = bake(0);

        assertThat(v.kind()).isEqualTo(StageView.Kind.PASSED);
        assertThat(v.state().status()).isEqualTo(Status.PROMOTING);
        assertThat(t.health.hits()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void aFailingGateFailsTheStageWithTheExplainedVerdict() throws Exception {
        deployCanary();
        t.health.answer(503);

        StageView v = bake(0);

        assertThat(v.kind()).isEqualTo(StageView.Kind.FAILED);
        assertThat(v.message()).contains("ring canary FAIL").contains("503");
        assertThat(v.state().status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void aFailedBodyFailsTheRing() throws Exception {
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        StageView v = service.deployed(KEY, TestRollouts.idOf(service), 0, false, "deploy.sh exited 2", TestRollouts.AS_ALICE);

        assertThat(v.kind()).isEqualTo(StageView.Kind.FAILED);
        assertThat(v.state().status()).isIn(Status.ROLLING_BACK, Status.ROLLED_BACK);
    }

    StageView reachManualRing() throws Exception {
        deployCanary();
        bake(0);
        service.enterStage(RolloutService.StageRequest.of(KEY, "early-adopters", null, null, true), TestRollouts.AS_ALICE);
        service.deployed(KEY, TestRollouts.idOf(service), 1, true, "deployed", TestRollouts.AS_ALICE);
        return bake(1);
    }

    @Test
    void aManualRingWaitsForAPerson() throws Exception {
        StageView v = reachManualRing();

        assertThat(v.kind()).isEqualTo(StageView.Kind.WAITING);
        assertThat(v.message()).contains("ring early-adopters passed and waits for a person");
    }

    @Test
    void promoteReleasesTheWaitingRing() throws Exception {
        reachManualRing();

        service.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE);

        assertThat(service.look(KEY, TestRollouts.idOf(service), 1, RolloutService.DeployInFlight.NOBODY).kind()).isEqualTo(StageView.Kind.PASSED);
    }

    @Test
    void promoteTwiceAdvancesOnce() throws Exception {
        reachManualRing();

        EngineResult first = service.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE);
        EngineResult second = service.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE);

        assertThat(first.kind()).isEqualTo(EngineResult.Kind.APPLIED);
        assertThat(second.kind()).isEqualTo(EngineResult.Kind.ALREADY_DONE);
        assertThat(second.state().ringIndex()).isEqualTo(1);
        assertThat(service.history(KEY)).extracting(RolloutEvent::type).filteredOn("PROMOTED"::equals).hasSize(2);
    }

    @Test
    void promotingARingStillBakingIsRefused() throws Exception {
        deployCanary();

        assertThatThrownBy(() -> service.promote(KEY, "canary", Target.ANY, TestRollouts.AS_ALICE)).isInstanceOf(StageException.class)
                .extracting(e -> ((StageException) e).reason()).isEqualTo(StageException.Reason.CONFLICT);
    }

    @Test
    void rollbackFailsTheWaitingRingAndTheRevertFinishesIt() throws Exception {
        reachManualRing();

        service.rollback(KEY, "latency regression", Target.ANY, false, TestRollouts.AS_ALICE);
        StageView waiter = service.look(KEY, TestRollouts.idOf(service), 1, RolloutService.DeployInFlight.NOBODY);
        service.revertFinished(KEY, TestRollouts.idOf(service), true, "reverted", TestRollouts.AS_ALICE);

        assertThat(waiter.kind()).isEqualTo(StageView.Kind.FAILED);
        assertThat(waiter.message()).contains("being rolled back").contains("latency regression");
        assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLED_BACK);
    }

    @Test
    void theLastRingCompletesTheRolloutAndALaterBuildKnowsTheLastGoodVersion() throws Exception {
        reachManualRing();
        service.promote(KEY, "early-adopters", Target.ANY, TestRollouts.AS_ALICE);
        service.enterStage(RolloutService.StageRequest.of(KEY, "everyone", null, null, true), TestRollouts.AS_ALICE);
        service.deployed(KEY, TestRollouts.idOf(service), 2, true, "deployed", TestRollouts.AS_ALICE);

        StageView v = bake(2);

        assertThat(v.kind()).isEqualTo(StageView.Kind.PASSED);
        assertThat(service.read(KEY).orElseThrow().lastGoodVersion()).isEqualTo("v2");
        t.clock.advance(Duration.ofHours(1));
        StageStart next = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v3", plan, true), TestRollouts.AS_ALICE);
        assertThat(next.state().stableVersion()).isEqualTo("v2");
    }

    @Test
    void aRingOutsideItsWindowWaitsForTheOpeningWithoutDeploying() throws Exception {
        RolloutPlan windowed = Plans.parse(Plans.threeRingsInOfficeHours(t.health.url()));

        StageStart s = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", windowed, true), TestRollouts.AS_ALICE);

        assertThat(s.next()).isEqualTo(StageStart.Next.WAIT_WINDOW);
        assertThat(s.opensAt()).isEqualTo(Plans.WINDOW_OPENS);
        assertThat(s.message()).contains("ring canary waits: outside the deployment window office-hours")
                .contains("2026-11-26T12:00:00Z");
        assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.PENDING);
        assertThat(StatusMap.of(s.state(), t.clock.instant()).get("waitingFor")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("kind", "window").containsEntry("ring", "canary").containsEntry("opensAt", "2026-11-26T12:00:00Z");
        assertThat(RolloutView.of(s.state(), t.clock.instant()).getWaitingFor()).contains("office-hours");
    }

    @Test
    void atTheOpeningTheSameStageDeploys() throws Exception {
        RolloutPlan windowed = Plans.parse(Plans.threeRingsInOfficeHours(t.health.url()));
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", windowed, true), TestRollouts.AS_ALICE);
        t.clock.set(Plans.WINDOW_OPENS);

        StageStart s = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", null, true), TestRollouts.AS_ALICE);

        assertThat(s.next()).isEqualTo(StageStart.Next.RUN_BODY);
        assertThat(StatusMap.of(s.state(), t.clock.instant()).get("waitingFor")).isNull();
    }

    @Test
    void anOverrideDeploysNowAndIsJournaledWithItsReason() throws Exception {
        RolloutPlan windowed = Plans.parse(Plans.threeRingsInOfficeHours(t.health.url()));

        StageStart s = service.enterStage(new RolloutService.StageRequest(KEY, "canary", "v2", windowed, true, "hotfix for INC-42",
                java.util.List.of(), null), TestRollouts.AS_ALICE);

        assertThat(s.next()).isEqualTo(StageStart.Next.RUN_BODY);
        assertThat(service.history(KEY)).filteredOn(e -> e.type().equals("WINDOW_OVERRIDDEN")).singleElement()
                .satisfies(e -> assertThat(e.evidence()).containsEntry("overrideReason", "hotfix for INC-42")
                        .containsEntry("overrode", "window"));
    }

    @Test
    void aFreezeWithoutAKnownEndFailsNamingIt() throws Exception {
        var freeze = new io.stagedrollout.core.policy.Freeze(null, null, "deploy freeze (CI_DEPLOY_FREEZE)");

        assertThatThrownBy(() -> service.enterStage(new RolloutService.StageRequest(KEY, "canary", "v2", plan, true, null, java.util.List.of(freeze), null), TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("ring canary cannot be deployed now: in a deploy freeze: deploy freeze (CI_DEPLOY_FREEZE)")
                .hasMessageContaining("the next opening is not known");
        assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.PENDING);
    }

    @Test
    void closingTheEngineIsLeftToAnotherThreadSoASlowNotificationEndpointHoldsUpNobody() throws Exception {
        java.util.List<Runnable> closes = new java.util.ArrayList<>();
        RolloutService handingOff = new RolloutService(t.store, new PlanEnvironment(dir, java.net.http.HttpClient.newHttpClient(),
                t.clock), t.clock, new PlanPolicy(false), closes::add);

        handingOff.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        // the engine (whose close waits up to 30s for notifications) was handed to the closer, not closed here
        assertThat(closes).hasSize(1);
        closes.forEach(Runnable::run);
    }

    @Test
    void aPromoteAimedAtAnotherRolloutIsRefusedNamingBothAndChangesNothing() throws Exception {
        reachManualRing();
        long revision = service.read(KEY).orElseThrow().revision();

        assertThatThrownBy(() -> service.promote(KEY, "early-adopters", Target.id("r-0ld00000"), TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("aimed at rollout r-0ld00000, but " + KEY + " is now rollout " + TestRollouts.idOf(service))
                .extracting(e -> ((StageException) e).reason()).isEqualTo(StageException.Reason.CONFLICT);
        assertThat(service.read(KEY).orElseThrow().revision()).isEqualTo(revision);
    }

    @Test
    void aStageNeverTicksANewerRolloutOfItsKey() throws Exception {
        deployCanary();
        String first = TestRollouts.idOf(service);
        service.rollback(KEY, "superseded", Target.ANY, false, TestRollouts.AS_ALICE);
        service.revertFinished(KEY, first, true, "reverted", TestRollouts.AS_ALICE);
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v3", plan, true), TestRollouts.AS_ALICE);

        StageView v = service.tick(KEY, first, 0, RolloutService.DeployInFlight.NOBODY, TestRollouts.AS_ALICE);

        assertThat(v.kind()).isEqualTo(StageView.Kind.FAILED);
        assertThat(v.message()).contains("rollout " + first + " is no longer current").contains("of v3");
    }

    @Test
    void aRingADriverElsewhereDeploysUnderTheLeaseIsWaitedForNotDeployedAgain() throws Exception {
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);
        io.stagedrollout.core.store.RolloutKey key = RolloutService.key(KEY);
        t.store.leases().acquire(key, new io.stagedrollout.core.store.RolloutLeases.Claim(
                new io.stagedrollout.core.store.LeaseHolder("rollout run (bob)", "ci-3", null, 4711, "2026-11-26T09:00:00Z", "s1"),
                TestRollouts.idOf(service), Duration.ofMinutes(5), 0, false), t.clock.instant());

        StageStart whileHeld = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);
        t.clock.advance(Duration.ofMinutes(6)); // the driver died: its lease lapsed
        StageStart afterItLapsed = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        assertThat(whileHeld.next()).isEqualTo(StageStart.Next.BAKE);
        assertThat(whileHeld.message()).contains("is being deployed by another build or driver");
        assertThat(afterItLapsed.next()).isEqualTo(StageStart.Next.RUN_BODY);
        assertThat(afterItLapsed.message()).contains("was interrupted; deploying it again");
    }

    @Test
    void aStageWaitsInsteadOfDeployingWhileAnotherDriverHoldsTheKey() throws Exception {
        t.store.leases().acquire(RolloutService.key(KEY), new io.stagedrollout.core.store.RolloutLeases.Claim(
                new io.stagedrollout.core.store.LeaseHolder("rollout run (bob)", "ci-3", null, 4711, "2026-11-26T09:00:00Z", "s1"),
                null, Duration.ofMinutes(5), 0, false), t.clock.instant());

        StageStart s = service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), TestRollouts.AS_ALICE);

        assertThat(s.next()).isEqualTo(StageStart.Next.WAIT_WINDOW);
        assertThat(s.message()).contains("another driver holds rollout " + KEY).contains("rollout run (bob)");
        assertThat(s.opensAt()).isAfter(t.clock.instant());
        assertThat(service.read(KEY).orElseThrow().status()).as("nothing deployed").isNotEqualTo(Status.DEPLOYING);
    }

    @Test
    void aRollbackFromAWebRequestIsRecordedAtOnceAndLeavesTheRevertToTheDriverHoldingTheKey() throws Exception {
        RolloutPlan withRevert = Plans.parse(t.planText() + "actions:\n  deploy: {kind: webhook, url: " + t.health.url()
                + "}\n  revert: {kind: webhook, url: " + t.health.url() + "}\n");
        service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", withRevert, true), TestRollouts.AS_ALICE);
        String id = TestRollouts.idOf(service);
        t.store.leases().acquire(RolloutService.key(KEY), new io.stagedrollout.core.store.RolloutLeases.Claim(
                new io.stagedrollout.core.store.LeaseHolder("rollout run (bob)", "ci-3", null, 4711, "2026-11-26T09:00:00Z", "s1"),
                id, Duration.ofMinutes(10), 0, false), t.clock.instant());

        EngineResult r = service.rollback(KEY, "latency", Target.id(id), true, TestRollouts.AS_ALICE.forWebRequest());

        assertThat(r.message()).contains("rollback recorded").contains("left to the driver that holds the lease");
        assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.ROLLING_BACK);
    }

    @Test
    void aVersionWithAControlCharacterIsRefusedNamingTheFieldAndStartsNothing() throws Exception {
        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2\u001b[2J", plan, true),
                TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageStartingWith("version: must be one line of printable characters")
                .hasMessageNotContaining("\u001b");
        assertThat(service.read(KEY)).isEmpty();
    }

    @Test
    void anActorNameWithABidiCharacterIsRefused() {
        Caller mallory = Caller.of(new io.stagedrollout.core.machine.Actor("mallory\u202e", "jenkins", null));

        assertThatThrownBy(() -> service.enterStage(RolloutService.StageRequest.of(KEY, "canary", "v2", plan, true), mallory))
                .isInstanceOf(StageException.class)
                .hasMessageContaining("the actor name")
                .hasMessageNotContaining("\u202e");
    }

    @Test
    void aRollbackReasonWithANewlineIsRefusedNamingTheField() throws Exception {
        deployCanary();

        assertThatThrownBy(() -> service.rollback(KEY, "latency\nROLLBACK_DONE: forged", Target.ANY, false, TestRollouts.AS_ALICE))
                .isInstanceOf(StageException.class)
                .hasMessageStartingWith("reason: must be one line");
        assertThat(service.read(KEY).orElseThrow().status()).isEqualTo(Status.BAKING);
    }
}
