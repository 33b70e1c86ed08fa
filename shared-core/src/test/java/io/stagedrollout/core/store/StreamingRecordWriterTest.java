package io.stagedrollout.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The streaming writer must write every state file, journal line and lease byte for byte as the data binding does:
 * the values are made by filling every record component reachable from the written record with random values by its
 * declared type ({@link RandomValues}), so a component added later is covered without changing this test.
 */
class StreamingRecordWriterTest {

    @Property(tries = 300)
    void writesEveryStateFileAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(seed), false).of(RolloutState.class);
        StateFile.JournalEnd end = new StateFile.JournalEnd(Math.abs(seed % 1_000_000), Math.abs(seed % 1000));

        assertThat(streamed(state)).as("the streaming writer takes the state on").isNotNull();
        assertThat(text(StateFile.bytes(end, state))).isEqualTo(text(StateFile.bytes(end, (ObjectNode) StateJson.MAPPER.valueToTree(state))));
    }

    @Property(tries = 300)
    void writesEveryJournalLineAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        RandomValues random = new RandomValues(new Random(seed), false);
        RolloutState state = (RolloutState) random.of(RolloutState.class);
        List<RolloutEvent> events = new ArrayList<>();
        for (int i = (int) Math.abs(seed % 3); i >= 0; i--) events.add((RolloutEvent) random.of(RolloutEvent.class));
        boolean withoutPlan = seed % 2 == 0;

        ObjectNode tree = StateJson.MAPPER.valueToTree(state);
        if (withoutPlan) tree.remove("plan");
        assertThat(text(Journal.line(state.revision(), state, withoutPlan, events)))
                .isEqualTo(text(Journal.line(state.revision(), null, tree, events)));
    }

    @Property(tries = 100)
    void writesEveryLeaseAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        Lease lease = (Lease) new RandomValues(new Random(seed), false).of(Lease.class);

        assertThat(streamed(lease)).as("the streaming writer takes the lease on").isNotNull();
        assertThat(text(LeaseJson.bytes(lease))).isEqualTo(LeaseJson.write(lease));
    }

    @Test
    void leavesOutAbsentFieldsAsTheDataBindingDoes() throws Exception {
        RolloutState s = (RolloutState) new RandomValues(new Random(5), false).of(RolloutState.class);
        RolloutState fresh = new RolloutState(s.id(), s.service(), s.environment(), s.version(), null, s.status(), 0, 1,
                s.startedAt(), s.updatedAt(), null, null, null, null, null, null, s.plan());
        StateFile.JournalEnd end = new StateFile.JournalEnd(0, 0);

        assertThat(streamed(fresh)).isNotNull();
        assertThat(text(StateFile.bytes(end, fresh))).doesNotContain("null").doesNotContain("\"hold\"")
                .isEqualTo(text(StateFile.bytes(end, (ObjectNode) StateJson.MAPPER.valueToTree(fresh))));
    }

    @Test
    void aNullInsideAListIsLeftToTheDataBinding() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(3), false).of(RolloutState.class);
        var plan = state.plan();
        var gates = new java.util.LinkedHashMap<>(plan.gates());
        var first = gates.entrySet().iterator().next();
        var g = first.getValue();
        gates.put(first.getKey(), new io.stagedrollout.core.plan.GateSpec(g.name(), g.kind(), g.interval(), g.count(),
                g.initialDelay(), g.failureLimit(), g.inconclusiveLimit(), g.consecutiveErrorLimit(), g.dryRun(),
                Map.of("values", new ArrayList<>(Arrays.asList("a", null))), g.onError()));
        var oddPlan = new io.stagedrollout.core.plan.RolloutPlan(plan.service(), plan.environment(), plan.strategy(),
                plan.rings(), gates, plan.actions(), plan.planning(), plan.windows(), plan.freezes(), plan.notifications());
        RolloutState odd = new RolloutState(state.id(), state.service(), state.environment(), state.version(),
                state.stableVersion(), state.status(), state.ringIndex(), state.revision(), state.startedAt(), state.updatedAt(),
                state.bakeStartedAt(), state.bakeEndsAt(), state.gates(), state.verdict(), state.hold(), state.reason(), oddPlan);
        StateFile.JournalEnd end = new StateFile.JournalEnd(10, 1);

        assertThat(streamed(odd)).as("the streaming writer gives up").isNull();
        assertThat(text(StateFile.bytes(end, odd))).contains("[\"a\",null]")
                .isEqualTo(text(StateFile.bytes(end, (ObjectNode) StateJson.MAPPER.valueToTree(odd))));
    }

    @Test
    void aMapEntryWithoutAValueIsLeftOutAsTheDataBindingLeavesItOut() throws Exception {
        var evidence = new java.util.LinkedHashMap<String, Object>();
        evidence.put("version", "2.0.0");
        evidence.put("stableVersion", null); // `start` without --stable-version
        RolloutState state = (RolloutState) new RandomValues(new Random(5), false).of(RolloutState.class);
        var events = List.of(new RolloutEvent(state.revision(), state.id(), state.updatedAt(), "STARTED", null, null,
                state.status(), null, "started", evidence));

        assertThat(StreamingRecordWriter.document(g -> StreamingRecordWriter.value(g, events.get(0))))
                .as("the streaming writer takes the event on").isNotNull();
        assertThat(text(Journal.line(state.revision(), state, false, events))).contains("\"evidence\":{\"version\":\"2.0.0\"}")
                .isEqualTo(text(Journal.line(state.revision(), null, (ObjectNode) StateJson.MAPPER.valueToTree(state), events)));
    }

    @Test
    void whatItWritesTheStreamingReaderReadsBack() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(11), false).of(RolloutState.class);
        byte[] file = StateFile.bytes(new StateFile.JournalEnd(99, 3), state);

        StreamingRecordReader.Read read = StreamingRecordReader.read(file);

        assertThat(read.state()).isEqualTo(state);
        assertThat(read.end()).isEqualTo(new StateFile.JournalEnd(99, 3));
    }

    private static byte[] streamed(Object value) {
        return StreamingRecordWriter.document(g -> StreamingRecordWriter.value(g, value));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
