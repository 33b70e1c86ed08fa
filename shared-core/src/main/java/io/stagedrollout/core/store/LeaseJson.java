package io.stagedrollout.core.store;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** The JSON form of leases and their parts, shared by the stores (the file store's lease.json, PostgreSQL's columns). */
public final class LeaseJson {
    /** Built on first use: `rollout status` reads its lease with the streaming reader and never needs it (issue 18). */
    private static final class Mapper {
        static final ObjectMapper INSTANCE = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
                .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);
    }

    private LeaseJson() {}

    /** The data binding for leases (package-private for the reader's test, which compares both readers). */
    static ObjectMapper mapper() {
        return Mapper.INSTANCE;
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
