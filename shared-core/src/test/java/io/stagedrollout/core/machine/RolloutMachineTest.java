package io.stagedrollout.core.machine;

import static io.stagedrollout.core.testing.TestRollouts.ALICE;
import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.gate.Measurement;
import io.stagedrollout.core.gate.Outcome;
import io.stagedrollout.core.machine.Decision.Applied;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.testing.TestRollouts;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every status against every command: the table is the specification of {@link RolloutMachine}. Rings bake 0s and
 * their gate is measured once, so one measurement decides a ring.
 */
class RolloutMachineTest {
    static final RolloutPlan PLAN = TestRollouts.plan("""
            service: checkout
            environment: production
            rings:
              - {name: canary, exposure: 5%, gates: [g]}
              - {name: early-adopters, exposure: 25%, gates: [g], approval: manual}
              - {name: everyone, exposure: 100%, gates: [g]}
            gates:
              g: {kind: command, command: ["true"], count: 1}
            """);
    static final Instant NOW = T0.plusSeconds(60);

    static Applied apply(RolloutState s, Command c) {
        return TestRollouts.applied(s, c, NOW);
    }

    static Measurement m(Outcome o) {
        return Measurement.of("g", NOW, o, 0.0, "test " + o);
    }

    /** Named states, each reached from the start through the machine itself. */
    static final Map<String, RolloutState> STATES = new LinkedHashMap<>();

    static {
        RolloutState pending = apply(null, new Command.Start(PLAN, "2.0.0", "1.0.0", "r-1", ALICE)).state();
        RolloutState deploying0 = apply(pending, new Command.BeginRing(0, ALICE)).state();
        RolloutState baking0 = apply(deploying0, new Command.RingDeployed(0, true, "ok", null, ALICE)).state();
        RolloutState promoting0 = apply(baking0, new Command.Measured(0, m(Outcome.PASS), ALICE)).state();
        RolloutState baking1 = apply(apply(promoting0, new Command.BeginRing(1, ALICE)).state(),
                new Command.RingDeployed(1, true, "ok", null, ALICE)).state();
        RolloutState awaiting1 = apply(baking1, new Command.Measured(1, m(Outcome.PASS), ALICE)).state();
        RolloutState held0 = apply(baking0, new Command.Measured(0, m(Outcome.INCONCLUSIVE), ALICE)).state();
        RolloutState rollingBack0 = apply(baking0, new Command.Measured(0, m(Outcome.FAIL), ALICE)).state();
        RolloutState rolledBack = apply(rollingBack0, new Command.RevertFinished(true, "ok", ALICE)).state();
        RolloutState failed = apply(rollingBack0, new Command.RevertFinished(false, "exit 1", ALICE)).state();
        RolloutState aborted = apply(baking0, new Command.Abort("stop", ALICE)).state();
        RolloutState promoting1 = apply(awaiting1, new Command.Promote("early-adopters", false, null, ALICE)).state();
        RolloutState baking2 = apply(apply(promoting1, new Command.BeginRing(2, ALICE)).state(),
                new Command.RingDeployed(2, true, "ok", null, ALICE)).state();
        RolloutState completed = apply(baking2, new Command.Measured(2, m(Outcome.PASS), ALICE)).state();
        STATES.put("PENDING", pending);
        STATES.put("DEPLOYING canary", deploying0);
        STATES.put("BAKING canary", baking0);
        STATES.put("PROMOTING canary", promoting0);
        STATES.put("BAKING early-adopters", baking1);
        STATES.put("AWAITING early-adopters", awaiting1);
        STATES.put("HELD canary", held0);
        STATES.put("ROLLING_BACK", rollingBack0);
        STATES.put("ROLLED_BACK", rolledBack);
        STATES.put("FAILED", failed);
        STATES.put("ABORTED", aborted);
        STATES.put("COMPLETED", completed);
    }

    static final Map<String, Function<RolloutState, Command>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("start same version", s -> new Command.Start(PLAN, "2.0.0", null, "r-2", ALICE));
        COMMANDS.put("retry same version", s -> new Command.Start(PLAN, "2.0.0", null, "r-2", true, ALICE));
        COMMANDS.put("start other version", s -> new Command.Start(PLAN, "3.0.0", null, "r-2", ALICE));
        COMMANDS.put("begin next ring", s -> new Command.BeginRing(s.ringIndex() + 1, ALICE));
        COMMANDS.put("begin ring 2", s -> new Command.BeginRing(2, ALICE));
        COMMANDS.put("deployed current", s -> new Command.RingDeployed(Math.max(0, s.ringIndex()), true, "ok", null, ALICE));
        COMMANDS.put("measured current", s -> new Command.Measured(Math.max(0, s.ringIndex()), m(Outcome.PASS), ALICE));
        COMMANDS.put("conclude current", s -> new Command.Conclude(Math.max(0, s.ringIndex()), ALICE));
        COMMANDS.put("promote canary", s -> new Command.Promote("canary", false, null, ALICE));
        COMMANDS.put("promote early-adopters", s -> new Command.Promote("early-adopters", false, null, ALICE));
        COMMANDS.put("force promote current", s -> new Command.Promote(null, true, null, ALICE));
        COMMANDS.put("promote unknown ring", s -> new Command.Promote("nope", false, null, ALICE));
        COMMANDS.put("rollback", s -> new Command.Rollback("bad", ALICE));
        COMMANDS.put("revert finished", s -> new Command.RevertFinished(true, "ok", ALICE));
        COMMANDS.put("abort", s -> new Command.Abort("stop", ALICE));
        COMMANDS.put("resolve reverted", s -> new Command.Resolve(true, "reverted by hand", ALICE));
        COMMANDS.put("resolve accepted", s -> new Command.Resolve(false, "left as it is", ALICE));
    }

    /** state | command | expected: a status it moves to, or ALREADY / CONFLICT / NOT_YET / INVALID / NOT_FOUND. */
    static final String TABLE = """
            PENDING                  | start same version     | ALREADY
            PENDING                  | start other version    | CONFLICT
            PENDING                  | begin next ring        | DEPLOYING
            PENDING                  | begin ring 2           | CONFLICT
            PENDING                  | deployed current       | CONFLICT
            PENDING                  | measured current       | ALREADY
            PENDING                  | conclude current       | ALREADY
            PENDING                  | promote canary         | CONFLICT
            PENDING                  | force promote current  | NOT_YET
            PENDING                  | promote unknown ring   | INVALID
            PENDING                  | rollback               | ROLLING_BACK
            PENDING                  | revert finished        | ALREADY
            PENDING                  | abort                  | ABORTED
            DEPLOYING canary         | begin next ring        | NOT_YET
            DEPLOYING canary         | deployed current       | BAKING
            DEPLOYING canary         | promote canary         | NOT_YET
            DEPLOYING canary         | force promote current  | PROMOTING
            DEPLOYING canary         | rollback               | ROLLING_BACK
            DEPLOYING canary         | abort                  | ABORTED
            BAKING canary            | start same version     | ALREADY
            BAKING canary            | start other version    | CONFLICT
            BAKING canary            | begin next ring        | NOT_YET
            BAKING canary            | begin ring 2           | CONFLICT
            BAKING canary            | deployed current       | ALREADY
            BAKING canary            | measured current       | PROMOTING
            BAKING canary            | conclude current       | NOT_YET
            BAKING canary            | promote canary         | NOT_YET
            BAKING canary            | promote early-adopters | CONFLICT
            BAKING canary            | force promote current  | PROMOTING
            BAKING canary            | rollback               | ROLLING_BACK
            BAKING canary            | abort                  | ABORTED
            PROMOTING canary         | begin next ring        | DEPLOYING
            PROMOTING canary         | begin ring 2           | CONFLICT
            PROMOTING canary         | measured current       | ALREADY
            PROMOTING canary         | promote canary         | ALREADY
            PROMOTING canary         | promote early-adopters | CONFLICT
            PROMOTING canary         | rollback               | ROLLING_BACK
            PROMOTING canary         | abort                  | ABORTED
            BAKING early-adopters    | promote canary         | ALREADY
            BAKING early-adopters    | measured current       | AWAITING_APPROVAL
            AWAITING early-adopters  | begin next ring        | NOT_YET
            AWAITING early-adopters  | promote canary         | ALREADY
            AWAITING early-adopters  | promote early-adopters | PROMOTING
            AWAITING early-adopters  | force promote current  | PROMOTING
            AWAITING early-adopters  | measured current       | ALREADY
            AWAITING early-adopters  | rollback               | ROLLING_BACK
            AWAITING early-adopters  | abort                  | ABORTED
            HELD canary              | promote canary         | PROMOTING
            HELD canary              | rollback               | ROLLING_BACK
            ROLLING_BACK             | start other version    | CONFLICT
            ROLLING_BACK             | begin next ring        | CONFLICT
            ROLLING_BACK             | promote canary         | CONFLICT
            ROLLING_BACK             | rollback               | ALREADY
            ROLLING_BACK             | revert finished        | ROLLED_BACK
            ROLLING_BACK             | abort                  | CONFLICT
            ROLLED_BACK              | start same version     | ALREADY
            ROLLED_BACK              | retry same version     | PENDING
            ROLLED_BACK              | start other version    | PENDING
            ROLLED_BACK              | begin next ring        | CONFLICT
            ROLLED_BACK              | promote canary         | CONFLICT
            ROLLED_BACK              | rollback               | ALREADY
            ROLLED_BACK              | abort                  | CONFLICT
            FAILED                   | rollback               | ROLLING_BACK
            FAILED                   | start other version    | CONFLICT
            FAILED                   | start same version     | CONFLICT
            FAILED                   | resolve reverted       | ROLLED_BACK
            FAILED                   | resolve accepted       | ABORTED
            ROLLED_BACK              | resolve reverted       | ALREADY
            BAKING canary            | resolve accepted       | CONFLICT
            ABORTED                  | start same version     | ALREADY
            FAILED                   | abort                  | CONFLICT
            ABORTED                  | rollback               | ROLLING_BACK
            ABORTED                  | abort                  | ALREADY
            ABORTED                  | start other version    | PENDING
            COMPLETED                | start same version     | ALREADY
            COMPLETED                | start other version    | PENDING
            COMPLETED                | begin next ring        | INVALID
            COMPLETED                | begin ring 2           | ALREADY
            COMPLETED                | promote canary         | ALREADY
            COMPLETED                | rollback               | ROLLING_BACK
            COMPLETED                | revert finished        | ALREADY
            COMPLETED                | abort                  | CONFLICT
            """;

    static Stream<Arguments> table() {
        return TABLE.lines().filter(l -> !l.isBlank()).map(l -> {
            String[] c = l.split("\\|");
            return Arguments.of(c[0].trim(), c[1].trim(), c[2].trim());
        });
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("table")
    void everyTransitionIsAsSpecified(String state, String command, String expected) {
        RolloutState s = STATES.get(state);
        assertThat(s).as("state " + state).isNotNull();
        Decision d = RolloutMachine.apply(s, COMMANDS.get(command).apply(s), NOW);
        String actual = d instanceof Applied a ? a.state().status().name()
                : d instanceof Decision.Refused r ? r.refusal().name() : "ALREADY";
        assertThat(actual).as(state + " + " + command + ": " + describe(d)).isEqualTo(expected);
        if (d instanceof Applied a) {
            assertThat(a.state().revision()).isEqualTo(s.revision() + 1);
            assertThat(a.events()).isNotEmpty().allSatisfy(e -> assertThat(e.revision()).isEqualTo(a.state().revision()));
        } else {
            assertThat(d.state()).isSameAs(s);
        }
    }

    private static String describe(Decision d) {
        return d instanceof Applied a ? a.events().toString()
                : d instanceof Decision.Refused r ? r.message() : ((Decision.AlreadyDone) d).message();
    }
}
