package io.stagedrollout.core.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus of hand-edited and damaged state files under {@code src/test/resources/malformed-states/} (each a
 * {@code state.json} of {@code checkout/production}), with the text each refusal must name (EXPECTED.tsv). On the
 * test classpath of the core and, through the test JAR, of the CLI.
 */
public final class MalformedStateCorpus {
    public record Entry(String file, String mustName) {
        public byte[] bytes() {
            try (InputStream in = MalformedStateCorpus.class.getResourceAsStream("/malformed-states/" + file)) {
                if (in == null) throw new IllegalStateException("missing corpus file " + file);
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private MalformedStateCorpus() {}

    public static List<Entry> entries() {
        try (InputStream in = MalformedStateCorpus.class.getResourceAsStream("/malformed-states/EXPECTED.tsv")) {
            List<Entry> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] cols = line.split("\t", 2);
                out.add(new Entry(cols[0], cols[1]));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
