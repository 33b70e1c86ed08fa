package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The journal's line format: one line per commit, carrying the revision, the state it committed and its events,
 * closed by a CRC-32C of everything before the checksum, so that any damaged byte is found:
 *
 * <pre>{"rev":7,"state":{…},"events":[{…},{…}],"sum":"crc32c:1a2b3c4d"}</pre>
 *
 * <p>{@code state} leaves out the plan when it is the same as the previous line's (a rollout keeps its plan; the
 * first line of each rollout carries it). A line written by {@code rollout store repair} in place of damaged lines
 * carries {@code repaired} and may have no revision ({@code "rev":null}): revisions it could not recover are
 * skipped, and the next line's revision may jump. Lines of older releases ({@code {"revision":…}}: one event per
 * line, no checksum, no state) are read as they are.
 */
final class Journal {
    static final String FILE = "journal.jsonl";
    /** The event a repair writes where damaged lines were. */
    static final String DAMAGED_EVENT = "JOURNAL_DAMAGED";

    private static final byte[] RECORD_START = "{\"rev\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] LEGACY_START = "{\"revision\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SUM_OPEN = ",\"sum\":\"crc32c:".getBytes(StandardCharsets.US_ASCII);
    /** {@code ,"sum":"crc32c:} + 8 hex digits + {@code "}}. */
    private static final int SUM_TAIL = SUM_OPEN.length + 8 + 2;

    private Journal() {}

    enum Kind {
        /** A line of this release whose checksum matches. */
        RECORD,
        /** A line of an older release (no checksum). */
        LEGACY,
        /** Anything else: a changed byte, a torn write, foreign text. */
        DAMAGED
    }

    /**
     * A commit's line, with its trailing newline: the state (without its plan when the previous line's state has the
     * same one) and the events. Written by the streaming writer; by the data binding when that gives up.
     */
    static byte[] line(long rev, RolloutState state, boolean withoutPlan, List<RolloutEvent> events) {
        byte[] json = StreamingRecordWriter.document(g -> {
            g.writeStartObject();
            g.writeNumberField("rev", rev);
            g.writeObjectFieldStart("state");
            StreamingRecordWriter.fields(g, state, withoutPlan ? "plan" : null);
            g.writeEndObject();
            g.writeArrayFieldStart("events");
            for (RolloutEvent e : events) StreamingRecordWriter.value(g, e.withRevision(rev));
            g.writeEndArray();
            g.writeEndObject();
        });
        if (json != null) return sealed(json);
        ObjectNode tree = StateJson.MAPPER.valueToTree(state);
        if (withoutPlan) tree.remove("plan");
        return line(rev, null, tree, events);
    }

    /** One line as written by this release, with its trailing newline. */
    static byte[] line(Long rev, ObjectNode repaired, ObjectNode state, List<RolloutEvent> events) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        if (rev == null) o.putNull("rev");
        else o.put("rev", rev);
        if (repaired != null) o.set("repaired", repaired);
        if (state != null) o.set("state", state);
        ArrayNode a = o.putArray("events");
        for (RolloutEvent e : events) a.add(StateJson.MAPPER.valueToTree(rev == null ? e : e.withRevision(rev)));
        return sealed(StateJson.bytes(o));
    }

    /** The line of a JSON object: its checksum added as its last field, and a newline. */
    private static byte[] sealed(byte[] json) {
        int body = json.length - 1; // without the closing brace
        CRC32C crc = new CRC32C();
        crc.update(json, 0, body);
        byte[] out = Arrays.copyOf(json, body + SUM_TAIL + 1);
        System.arraycopy(SUM_OPEN, 0, out, body, SUM_OPEN.length);
        long sum = crc.getValue();
        for (int i = 7; i >= 0; i--, sum >>>= 4) out[body + SUM_OPEN.length + i] = (byte) Character.forDigit((int) (sum & 0xf), 16);
        out[out.length - 3] = '"';
        out[out.length - 2] = '}';
        out[out.length - 1] = '\n';
        return out;
    }

    /** What a line is ({@code len} excludes the newline). */
    static Kind kind(byte[] b, int off, int len) {
        if (startsWith(b, off, len, RECORD_START)) return checksumMatches(b, off, len) ? Kind.RECORD : Kind.DAMAGED;
        if (startsWith(b, off, len, LEGACY_START) && len > 0 && b[off + len - 1] == '}') return Kind.LEGACY;
        return Kind.DAMAGED;
    }

    /** Why a line is damaged, for messages. */
    static String damage(byte[] b, int off, int len) {
        if (len == 0) return "an empty line";
        if (startsWith(b, off, len, RECORD_START)) {
            return hasSumField(b, off, len) ? "its checksum does not match its content" : "it has no checksum (cut short or edited)";
        }
        if (startsWith(b, off, len, LEGACY_START)) return "it is not a whole event (cut short or edited)";
        return "it is not a journal line";
    }

    private static boolean hasSumField(byte[] b, int off, int len) {
        if (len < SUM_TAIL + RECORD_START.length) return false;
        int s = off + len - SUM_TAIL;
        for (int i = 0; i < SUM_OPEN.length; i++) if (b[s + i] != SUM_OPEN[i]) return false;
        return true;
    }

    private static boolean checksumMatches(byte[] b, int off, int len) {
        if (!hasSumField(b, off, len) || b[off + len - 2] != '"' || b[off + len - 1] != '}') return false;
        long expected = 0;
        for (int i = off + len - 10; i < off + len - 2; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0 || Character.isUpperCase(b[i])) return false;
            expected = expected << 4 | d;
        }
        CRC32C crc = new CRC32C();
        crc.update(b, off, len - SUM_TAIL);
        return crc.getValue() == expected;
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[off + i] != prefix[i]) return false;
        return true;
    }

    /** A checksummed line, parsed. {@code state} is null when the line was read for its events only. */
    record Entry(Long rev, ObjectNode repaired, ObjectNode state, List<RolloutEvent> events) {
        boolean isRepair() {
            return repaired != null;
        }
    }

    /** Only what history needs: Jackson skips the state without building it. */
    private record EventsOnly(Long rev, ObjectNode repaired, List<RolloutEvent> events) {}

    /**
     * The same, as the streaming reader takes it: `start` reads the key's history, and building the data binding
     * for it cost every start on a key with a past some 90 ms (issue 18). A repair line (rare) is left to the data
     * binding, which keeps the repaired state as a tree; so is anything the streaming reader gives up on.
     */
    record StreamedEvents(Long rev, List<RolloutEvent> events) {}

    static Entry parse(byte[] b, int off, int len, boolean withState) throws IOException {
        if (!withState) {
            Entry streamed = eventsStreamed(b, off, len);
            return streamed != null ? streamed : eventsBound(b, off, len);
        }
        JsonNode n = StateJson.MAPPER.readTree(b, off, len);
        if (!(n instanceof ObjectNode o)) throw new IOException("not an object");
        JsonNode rev = o.get("rev");
        if (rev != null && !rev.isNull() && !rev.canConvertToLong()) throw new IOException("rev is not a number");
        List<RolloutEvent> events = new ArrayList<>();
        JsonNode a = o.get("events");
        if (a != null && a.isArray()) {
            for (JsonNode e : a) events.add(StateJson.MAPPER.treeToValue(e, RolloutEvent.class));
        }
        JsonNode s = o.get("state");
        JsonNode r = o.get("repaired");
        return new Entry(rev == null || rev.isNull() ? null : rev.asLong(), r instanceof ObjectNode ro ? ro : null,
                s instanceof ObjectNode so ? so : null, events);
    }

    /** A line's revision and events through the streaming reader, or null when it does not take the line on. */
    static Entry eventsStreamed(byte[] b, int off, int len) {
        StreamedEvents e = repairLine(b, off, len) ? null : StreamingRecordReader.record(b, off, len, StreamedEvents.class);
        return e == null ? null : new Entry(e.rev(), null, null, e.events() == null ? List.of() : e.events());
    }

    /** A line's revision, repair and events through the data binding. */
    static Entry eventsBound(byte[] b, int off, int len) throws IOException {
        EventsOnly e = StateJson.MAPPER.readValue(b, off, len, EventsOnly.class);
        return new Entry(e.rev(), e.repaired(), null, e.events() == null ? List.of() : e.events());
    }

    private static final byte[] REPAIRED = "\"repaired\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Whether the line names a field "repaired" anywhere (a repair line, or text that only looks like one). */
    private static boolean repairLine(byte[] b, int off, int len) {
        for (int i = off; i <= off + len - REPAIRED.length; i++) {
            if (startsWith(b, i, off + len - i, REPAIRED)) return true;
        }
        return false;
    }

    static RolloutEvent parseLegacy(byte[] b, int off, int len) throws JsonProcessingException, IOException {
        return StateJson.MAPPER.readValue(b, off, len, RolloutEvent.class);
    }
}
