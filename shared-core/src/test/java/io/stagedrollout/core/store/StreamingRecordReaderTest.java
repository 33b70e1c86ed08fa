package io.stagedrollout.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader must read every state and lease exactly as the data binding does: they are made here by
 * filling every record component reachable from {@link RolloutState} or {@link Lease} with random values by its
 * declared type, so a component added later is covered without changing this test.
 */
class StreamingRecordReaderTest {

    @Property(tries = 300)
    void readsEveryStateAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        RolloutState written = (RolloutState) new RandomValues(new Random(seed)).of(RolloutState.class);
        byte[] json = StateJson.write(written).getBytes(StandardCharsets.UTF_8);

        StreamingRecordReader.Read read = StreamingRecordReader.read(json);

        assertThat(read).as("the streaming reader takes on %s", new String(json, StandardCharsets.UTF_8)).isNotNull();
        assertThat(read.state()).isEqualTo(StateJson.MAPPER.readValue(json, RolloutState.class)).isEqualTo(written);
    }

    @Property(tries = 100)
    void readsEveryLeaseAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        Lease written = (Lease) new RandomValues(new Random(seed)).of(Lease.class);
        byte[] json = LeaseJson.write(written).getBytes(StandardCharsets.UTF_8);

        Lease read = StreamingRecordReader.record(json, Lease.class);

        assertThat(read).isNotNull().isEqualTo(LeaseJson.mapper().readValue(json, Lease.class)).isEqualTo(written);
    }

    @Property(tries = 200)
    void readsTheEventsOfEveryJournalLineAsTheDataBindingDoes(@ForAll long seed) throws Exception {
        RandomValues random = new RandomValues(new Random(seed));
        RolloutState state = (RolloutState) random.of(RolloutState.class);
        List<io.stagedrollout.core.machine.RolloutEvent> events = new ArrayList<>();
        for (int i = (int) Math.abs(seed % 4); i > 0; i--) events.add((io.stagedrollout.core.machine.RolloutEvent) random.of(io.stagedrollout.core.machine.RolloutEvent.class));
        byte[] line = Journal.line(state.revision(), state, seed % 2 == 0, events);
        int len = line.length - 1; // without the newline, as the scanner hands it over

        Journal.Entry streamed = Journal.eventsStreamed(line, 0, len);

        assertThat(streamed).as("the streaming reader takes on %s", new String(line, StandardCharsets.UTF_8)).isNotNull();
        assertThat(streamed).isEqualTo(Journal.eventsBound(line, 0, len));
        assertThat(streamed.events()).isEqualTo(events.stream().map(e -> e.withRevision(state.revision())).toList());
    }

    @Test
    void aRepairLineIsLeftToTheDataBinding() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(9)).of(RolloutState.class);
        ObjectNode tree = StateJson.MAPPER.valueToTree(state);
        byte[] line = Journal.line(null, tree, tree, List.of());

        assertThat(Journal.eventsStreamed(line, 0, line.length - 1)).isNull();
        assertThat(Journal.parse(line, 0, line.length - 1, false).isRepair()).isTrue();
    }

    @Test
    void readsTheJournalEndAndRingNamesOfAStateFile() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(7)).of(RolloutState.class);
        byte[] file = StateFile.bytes(new StateFile.JournalEnd(1234, 5), StateJson.MAPPER.valueToTree(state));

        StreamingRecordReader.Read read = StreamingRecordReader.read(file);

        assertThat(read.end()).isEqualTo(new StateFile.JournalEnd(1234, 5));
        assertThat(read.ringNames()).isEqualTo(state.plan().rings().stream().map(r -> r.name()).toList());
        assertThat(read.state()).isEqualTo(state);
    }

    @Test
    void skipsTheFieldsOfANewerReleaseAsTheDataBindingDoes() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(11)).of(RolloutState.class);
        ObjectNode tree = StateJson.MAPPER.valueToTree(state);
        tree.putObject("addedLater").putArray("nested").add(1).addObject().put("deep", true);
        ((ObjectNode) tree.get("plan")).put("alsoNew", "x");

        StreamingRecordReader.Read read = StreamingRecordReader.read(StateJson.write(tree).getBytes(StandardCharsets.UTF_8));

        assertThat(read.state()).isEqualTo(state);
    }

    @Test
    void leavesToTheDataBindingWhatItDoesNotExpect() {
        String state = "{\"id\":\"r-1\",\"service\":\"s\",\"environment\":\"e\",\"status\":\"%s\",\"startedAt\":%s}";

        assertThat(StreamingRecordReader.read(state.formatted("RUNNING", "1700000000.5").getBytes(StandardCharsets.UTF_8)))
                .as("an instant written as a number").isNull();
        assertThat(StreamingRecordReader.read(state.formatted("SLEEPING", "\"2026-01-01T00:00:00Z\"").getBytes(StandardCharsets.UTF_8)))
                .as("a status no release writes").isNull();
        assertThat(StreamingRecordReader.read("{\"revision\":\"3\"}".getBytes(StandardCharsets.UTF_8)))
                .as("a number written as text").isNull();
        assertThat(StreamingRecordReader.read("{\"journal\":{\"bytes\":-1,\"lines\":0}}".getBytes(StandardCharsets.UTF_8)))
                .as("a negative journal end").isNull();
        assertThat(StreamingRecordReader.read("{\"id\":\"r-1\",".getBytes(StandardCharsets.UTF_8))).as("a torn file").isNull();
    }

    @Test
    void aStateFileThatReadsButFailsValidationIsExplainedByTheGeneralReader() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(3)).of(RolloutState.class);
        byte[] file = StateFile.bytes(new StateFile.JournalEnd(0, 0), StateJson.MAPPER.valueToTree(state));

        assertThat(StreamingRecordReader.read(file)).as("it reads").isNotNull();
        assertThatThrownBy(() -> StateFile.parse(file, java.nio.file.Path.of("state.json"), new RolloutKey("other-service", "production")))
                .isInstanceOf(StateFile.Invalid.class).hasMessageContaining("field service: is").hasMessageContaining("not other-service");
    }

    @Test
    void aFieldGivenTwiceIsReadAsTheDataBindingReadsIt() throws Exception {
        RolloutState state = (RolloutState) new RandomValues(new Random(5)).of(RolloutState.class);
        String json = StateJson.write(state);
        byte[] twice = ("{\"hold\":\"first\",\"revision\":1," + json.substring(1)).getBytes(StandardCharsets.UTF_8);

        assertThat(StreamingRecordReader.read(twice).state()).isEqualTo(StateJson.MAPPER.readValue(twice, RolloutState.class));
    }
}
