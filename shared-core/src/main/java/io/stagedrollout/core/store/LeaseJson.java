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
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .setVisibility(PropertyAccessor.GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY);

    private LeaseJson() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Lease readLease(String json) throws IOException {
        // streamed first: `rollout status` reads the lease and should not build a data binding for it (issue 18)
        Lease lease = StreamingRecordReader.record(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), Lease.class);
        return lease != null ? lease : MAPPER.readValue(json, Lease.class);
    }

    public static LeaseHolder readHolder(String json) throws IOException {
        return MAPPER.readValue(json, LeaseHolder.class);
    }

    public static List<InFlightEffect> readEffects(String json) throws IOException {
        return json == null ? List.of() : MAPPER.readValue(json, new TypeReference<List<InFlightEffect>>() {});
    }
}
