package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code state.json}: the state as of the journal's last line, kept so that reading a rollout does not replay its
 * journal. It is the state's JSON ({@link StateJson}) with one more field first, where the journal ended when it was
 * written: {@code {"journal":{"bytes":5123,"lines":14},"id":…}}. A reader that finds the journal longer knows the
 * file is behind (a crash between the two writes) and reads on from there; {@code state.json} files of older
 * releases have no {@code journal} field and are read as they are.
 *
 * @param journal where the journal ended, or null for a file of an older release
 */
record StateFile(JournalEnd journal, RolloutState state) {
    static final String NAME = "state.json";

    /** Where the journal ended when the state was written: its length and line count. */
    record JournalEnd(long bytes, long lines) {}

    /** The file for {@code state}: written by the streaming writer; by the data binding when that gives up. */
    static byte[] bytes(JournalEnd end, RolloutState state) {
        byte[] json = StreamingRecordWriter.document(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("journal");
            g.writeNumberField("bytes", end.bytes());
            g.writeNumberField("lines", end.lines());
            g.writeEndObject();
            g.writeArrayFieldStart("ringNames");
            for (var ring : state.plan().rings()) StreamingRecordWriter.value(g, ring.name());
            g.writeEndArray();
            StreamingRecordWriter.fields(g, state, null);
            g.writeEndObject();
        });
        return json != null ? json : bytes(end, StateJson.MAPPER.<ObjectNode>valueToTree(state));
    }

    static byte[] bytes(JournalEnd end, ObjectNode state) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        ObjectNode j = o.putObject("journal");
        j.put("bytes", end.bytes());
        j.put("lines", end.lines());
        // the ring names up front, so that a listing reads the head of the file and skips the plan
        ArrayNode names = o.putArray("ringNames");
        state.path("plan").path("rings").forEach(r -> names.add(r.path("name").asText()));
        o.setAll(state);
        return StateJson.bytes(o);
    }

    /** Parses and validates; the message names the file and the field. */
    static StateFile parse(byte[] bytes, Path file, RolloutKey key) throws StoreException {
        int first = 0;
        while (first < bytes.length && Character.isWhitespace(bytes[first])) first++;
        if (bytes.length == 0) throw invalid(file, "it is empty (0 bytes)");
        if (first == bytes.length || bytes[first] != '{') throw invalid(file, "it is not a JSON object");
        // streamed first, for a short command's start-up (issue 18); anything odd is read and explained below
        StreamingRecordReader.Read read = StreamingRecordReader.read(bytes);
        if (read != null && StateCheck.problem(read.state(), key).isEmpty()
                && (read.ringNames() == null || read.ringNames().equals(ringNames(read.state())))) {
            return new StateFile(read.end(), read.state());
        }
        // the head (journal end, ring names) as a tree, the state bound directly: a listing of thousands parses
        // every state file, and a tree of the whole state would double the cost
        JsonNode j = null;
        JsonNode names = null;
        RolloutState state;
        try (JsonParser p = StateJson.MAPPER.createParser(bytes)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME && (p.currentName().equals("journal") || p.currentName().equals("ringNames"))) {
                String f = p.currentName();
                p.nextToken();
                JsonNode v = p.readValueAsTree();
                if (f.equals("journal")) j = v;
                else names = v;
            }
            state = StateJson.MAPPER.readValue(bytes, RolloutState.class);
        } catch (JsonProcessingException e) {
            String nul = null;
            if (e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException) {
                try {
                    nul = JsonProblems.nullInList(StateJson.MAPPER.readTree(bytes), "");
                } catch (IOException again) {
                    // described below
                }
            }
            throw invalid(file, nul != null ? "field " + nul + ": is null (a list may not hold null)" : JsonProblems.describe(e));
        } catch (IOException | RuntimeException e) {
            throw invalid(file, "it does not hold a rollout state");
        }
        JournalEnd end = null;
        if (j != null) {
            if (!j.isObject()) throw invalid(file, "field journal: is not an object");
            end = new JournalEnd(count(j, "bytes", file), count(j, "lines", file));
        }
        var problem = StateCheck.problem(state, key);
        if (problem.isPresent()) throw invalid(file, "field " + problem.get());
        if (names != null) {
            List<String> expected = ringNames(state);
            List<String> found = new ArrayList<>();
            names.forEach(n -> found.add(n.isTextual() ? n.asText() : String.valueOf(n)));
            if (!names.isArray() || !found.equals(expected)) {
                throw invalid(file, "field ringNames: is " + JsonProblems.value(names.toString()) + ", not the plan's rings " + expected);
            }
        }
        return new StateFile(end, state);
    }

    /**
     * A state from its JSON tree (a state file's, or a journal line's with its plan put back), validated;
     * {@code invalid} makes the exception from what is wrong ("field revision: …").
     */
    static RolloutState state(ObjectNode o, RolloutKey key, Function<String, StoreException> invalid) throws StoreException {
        RolloutState s;
        try {
            s = StateJson.MAPPER.treeToValue(o, RolloutState.class);
        } catch (JsonProcessingException e) {
            String nul = e instanceof com.fasterxml.jackson.databind.exc.ValueInstantiationException ? JsonProblems.nullInList(o, "") : null;
            throw invalid.apply(nul != null ? "field " + nul + ": is null (a list may not hold null)" : JsonProblems.describe(e));
        } catch (RuntimeException e) {
            throw invalid.apply("it does not hold a rollout state");
        }
        var problem = StateCheck.problem(s, key);
        if (problem.isPresent()) throw invalid.apply("field " + problem.get());
        return s;
    }

    private static List<String> ringNames(RolloutState state) {
        return state.plan().rings().stream().map(r -> r.name()).toList();
    }

    private static long count(JsonNode j, String field, Path file) throws StoreException {
        JsonNode n = j.get(field);
        if (n == null || !n.canConvertToLong() || !n.isIntegralNumber() || n.asLong() < 0) {
            throw invalid(file, "field journal." + field + ": is not a byte or line count");
        }
        return n.asLong();
    }

    static Invalid invalid(Path file, String what) {
        return new Invalid(file, what);
    }

    /** A state file that is not a valid state; {@link #what()} says which field and why. */
    static final class Invalid extends StoreException {
        private final String what;

        Invalid(Path file, String what) {
            super("the state file " + file + " is not valid: " + what
                    + "; nothing was changed (`rollout store check` explains, `rollout store repair` rebuilds it from the journal)");
            this.what = what;
        }

        String what() {
            return what;
        }
    }
}
