package io.stagedrollout.core.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON form of leases and their parts, shared by the stores (the file store's lease.json, PostgreSQL's columns). */
public final class LeaseJson {
    private LeaseJson() {}

    /**
     * The data binding for leases: the states' one, whose settings a lease needs (a lease holds no durations). Reached
     * only when the streaming reader or writer gives up, so `rollout status` never initialises it (issue 18).
     */
    static ObjectMapper mapper() {
        return StateJson.MAPPER;
    }

    public static String write(Object value) {
        try {
            return mapper().writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The lease file's bytes: streamed, like the read, so that a short command builds no data binding for it. */
    static byte[] bytes(Lease lease) {
        byte[] json = StreamingRecordWriter.document(g -> StreamingRecordWriter.value(g, lease));
        return json != null ? json : write(lease).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    public static Lease readLease(String json) throws IOException {
        // streamed first: `rollout status` reads the lease and should not build a data binding for it (issue 18)
        Lease lease = StreamingRecordReader.record(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Lease.class);
        return lease != null ? lease : mapper().readValue(json, Lease.class);
    }

    public static LeaseHolder readHolder(String json) throws IOException {
        return mapper().readValue(json, LeaseHolder.class);
    }

    public static List<InFlightEffect> readEffects(String json) throws IOException {
        return json == null ? List.of() : mapper().readValue(json, new TypeReference<List<InFlightEffect>>() {});
    }
}
