package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.testing.RolloutStoreContract;
import io.stagedrollout.core.testing.TestRollouts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds a file store's key directory and damages it the ways disks, people and crashes do. */
final class JournalFiles {
    static final RolloutKey KEY = new RolloutKey("checkout", "production");

    private JournalFiles() {}

    static Path keyDir(Path root) {
        return root.resolve("checkout/production");
    }

    static Path journal(Path root) {
        return keyDir(root).resolve("journal.jsonl");
    }

    static Path state(Path root) {
        return keyDir(root).resolve("state.json");
    }

    /** A key with {@code revisions} commits (a start, then increments), each with one event. */
    static FileRolloutStore committed(Path root, int revisions) throws Exception {
        FileRolloutStore store = new FileRolloutStore(root);
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.0.0");
        store.commit(KEY, 0, s, List.of(event(s, "STARTED")));
        RolloutStoreContract.increment(store, revisions - 1);
        return store;
    }

    static RolloutEvent event(RolloutState s, String type) {
        return new RolloutEvent(s.revision(), s.id(), s.updatedAt(), type, TestRollouts.ALICE, null, s.status(), s.ringName(),
                "test " + type, Map.of("n", s.revision()));
    }

    static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** Offset of line {@code line} (from 1). */
    static long offsetOf(Path file, int line) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int n = 1;
        for (int i = 0; i < b.length && n < line; i++) if (b[i] == '\n') {
            n++;
            if (n == line) return i + 1;
        }
        if (line == 1) return 0;
        throw new IllegalArgumentException("no line " + line);
    }

    /** Changes one byte of line {@code line}, {@code at} bytes into it, into another printable one: JSON may stay valid. */
    static void flipByte(Path file, int line, int at) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int i = (int) offsetOf(file, line) + at;
        b[i] = (byte) (b[i] == '7' ? '8' : b[i] == '8' ? '7' : b[i] ^ 0x01);
        Files.write(file, b);
    }

    /** Changes the first digit after {@code "at":"} of line {@code line}: the line stays valid JSON. */
    static void changeADigit(Path file, int line) throws IOException {
        String text = lines(file).get(line - 1);
        int at = text.indexOf("\"updatedAt\":\"");
        if (at < 0) at = text.indexOf("\"at\":\"");
        flipByte(file, line, text.substring(0, at).getBytes(StandardCharsets.UTF_8).length + text.substring(at).indexOf('2'));
    }

    static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    /** Copies a store directory of an older release from the test resources ({@code legacy-store/}). */
    static void legacyStore(Path root) throws IOException {
        for (String f : List.of("state.json", "journal.jsonl")) {
            try (InputStream in = JournalFiles.class.getResourceAsStream("/legacy-store/checkout/production/" + f)) {
                Files.createDirectories(keyDir(root));
                Files.copy(in, keyDir(root).resolve(f));
            }
        }
    }

    static List<String> types(List<RolloutEvent> events) {
        List<String> out = new ArrayList<>();
        for (RolloutEvent e : events) out.add(e.type());
        return out;
    }
}
