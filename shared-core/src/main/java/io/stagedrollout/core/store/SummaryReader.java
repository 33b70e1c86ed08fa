package io.stagedrollout.core.store;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.stagedrollout.core.machine.Status;
import java.io.IOException;
import java.time.Instant;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a {@link RolloutSummary} straight from a state file's bytes with a streaming parser, without building the
 * state: a state file of this release names its rings up front ({@code ringNames}), so the parser stops at
 * {@code updatedAt} and never reads the gates, verdict or plan; an older one is read to its plan's ring names.
 * Listing thousands of rollouts then costs little more than reading their files. Anything unexpected gives empty,
 * and the caller reads the file the full way, which names what is wrong. What a listing does not read (the plan,
 * the gates) is checked by every command that reads the state whole, and by {@code rollout store check}.
 */
final class SummaryReader {
    private static final JsonFactory JSON = new JsonFactory();

    /** A summary and where the journal ended when the state file was written (null: a file of an older release). */
    record Fast(RolloutSummary summary, StateFile.JournalEnd journal) {}

    private SummaryReader() {}

    static Optional<Fast> read(byte[] bytes, RolloutKey key) {
        try (JsonParser p = JSON.createParser(bytes)) {
            return Optional.ofNullable(parse(p, key, bytes));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Fast parse(JsonParser p, RolloutKey key, byte[] bytes) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) return null;
        String id = null, service = null, environment = null, version = null, stable = null, updated = null;
        Status status = null;
        Integer ringIndex = null;
        long revision = 0;
        long jBytes = -1, jLines = -1;
        boolean hasJournal = false;
        List<String> rings = null;
        boolean early = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (f.equals("updatedAt") && hasJournal && rings != null && id != null && status != null && ringIndex != null) {
                // the state's fields come in record order and updatedAt is the last a summary needs; ringNames came
                // first: the rest (bake, gates, verdict, plan) is not read
                updated = text(p, t);
                early = true;
                break;
            }
            switch (f) {
                case "journal" -> {
                    if (t != JsonToken.START_OBJECT) return null;
                    hasJournal = true;
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String g = p.currentName();
                        JsonToken v = p.nextToken();
                        if (v != JsonToken.VALUE_NUMBER_INT) {
                            p.skipChildren();
                            continue;
                        }
                        if (g.equals("bytes")) jBytes = p.getLongValue();
                        else if (g.equals("lines")) jLines = p.getLongValue();
                    }
                }
                case "id" -> id = text(p, t);
                case "service" -> service = text(p, t);
                case "environment" -> environment = text(p, t);
                case "version" -> version = text(p, t);
                case "stableVersion" -> stable = text(p, t);
                case "updatedAt" -> updated = text(p, t);
                case "status" -> {
                    String s = text(p, t);
                    status = s == null ? null : Status.valueOf(s);
                }
                case "ringIndex" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT) return null;
                    ringIndex = p.getIntValue();
                }
                case "revision" -> {
                    if (t != JsonToken.VALUE_NUMBER_INT) return null;
                    revision = p.getLongValue();
                }
                case "ringNames" -> {
                    if (t != JsonToken.START_ARRAY) return null;
                    rings = new ArrayList<>();
                    while (p.nextToken() == JsonToken.VALUE_STRING) rings.add(p.getText());
                    if (p.currentToken() != JsonToken.END_ARRAY) return null;
                }
                case "plan" -> {
                    if (t != JsonToken.START_OBJECT) return null;
                    List<String> names = ringNames(p);
                    if (names == null || (rings != null && !rings.equals(names))) return null;
                    rings = names;
                }
                default -> p.skipChildren();
            }
        }
        if (hasJournal && (jBytes < 0 || jLines < 0)) return null;
        if (early && !endsAsAnObject(bytes)) return null;
        if (id == null || id.isBlank() || version == null || version.isBlank() || status == null || revision < 1
                || ringIndex == null || rings == null || rings.isEmpty() || updated == null
                || !key.service().equals(service) || !key.environment().equals(environment)
                || ringIndex < -1 || ringIndex >= rings.size() || (ringIndex >= 0 && rings.get(ringIndex) == null)) {
            return null;
        }
        Instant at = instant(updated);
        if (at == null) return null;
        RolloutSummary s = new RolloutSummary(key.toString(), id, version, stable, status, ringIndex,
                ringIndex < 0 ? null : rings.get(ringIndex), rings.size(), revision, at);
        return new Fast(s, hasJournal ? new StateFile.JournalEnd(jBytes, jLines) : null);
    }

    /** Whether the file ends as a JSON object does (a file cut short is read the full way, which says so). */
    private static boolean endsAsAnObject(byte[] b) {
        int i = b.length - 1;
        while (i >= 0 && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i--;
        return i >= 0 && b[i] == '}';
    }

    /** The names of {@code plan.rings}; the parser is on the plan's START_OBJECT and ends on its END_OBJECT. */
    private static List<String> ringNames(JsonParser p) throws IOException {
        List<String> names = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (!f.equals("rings")) {
                p.skipChildren();
                continue;
            }
            if (t != JsonToken.START_ARRAY) return null;
            names = new ArrayList<>();
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String g = p.currentName();
                    JsonToken v = p.nextToken();
                    if (g.equals("name") && v == JsonToken.VALUE_STRING) name = p.getText();
                    else p.skipChildren();
                }
                if (name == null || name.isBlank()) return null;
                names.add(name);
            }
            if (p.currentToken() != JsonToken.END_ARRAY) return null;
        }
        return names;
    }

    /**
     * An instant as the store writes it ({@code 2026-12-01T09:30:00.123456789Z}), read without the general-purpose
     * formatter (costly in a JVM that just started); other forms go to {@link Instant#parse}. Null when invalid.
     */
    static Instant instant(String s) {
        try {
            int n = s.length();
            if (n >= 20 && s.charAt(4) == '-' && s.charAt(7) == '-' && s.charAt(10) == 'T' && s.charAt(13) == ':'
                    && s.charAt(16) == ':' && s.charAt(n - 1) == 'Z' && (n == 20 || (s.charAt(19) == '.' && n <= 30 && n > 21))) {
                int nanos = 0;
                if (n > 20) {
                    for (int i = 20; i < n - 1; i++) nanos = nanos * 10 + digit(s, i);
                    for (int i = n - 1; i < 29; i++) nanos *= 10;
                }
                LocalDateTime t = LocalDateTime.of(number(s, 0, 4), number(s, 5, 7), number(s, 8, 10), number(s, 11, 13),
                        number(s, 14, 16), number(s, 17, 19), nanos);
                return t.toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(s);
        } catch (DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    private static int number(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) v = v * 10 + digit(s, i);
        return v;
    }

    private static int digit(String s, int i) {
        char c = s.charAt(i);
        if (c < '0' || c > '9') throw new NumberFormatException("not a digit");
        return c - '0';
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) return null;
        if (t != JsonToken.VALUE_STRING) throw new IOException("not text");
        return p.getText();
    }
}
