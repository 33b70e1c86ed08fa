package io.stagedrollout.core.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The corpus of hostile and broken plans under {@code src/test/resources/malformed-plans/}, with the text each
 * refusal must name (EXPECTED.tsv). On the test classpath of the core and, through the test JAR, of the CLI.
 */
public final class MalformedPlanCorpus {
    public record Entry(String file, String mustName) {
        public byte[] bytes() {
            try (InputStream in = MalformedPlanCorpus.class.getResourceAsStream("/malformed-plans/" + file)) {
                if (in == null) throw new IllegalStateException("missing corpus file " + file);
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Copies the file into {@code dir} and returns its path. */
        public Path copyTo(Path dir) throws IOException {
            return Files.write(dir.resolve(file), bytes());
        }

        @Override
        public String toString() {
            return file;
        }
    }

    private MalformedPlanCorpus() {}

    public static List<Entry> entries() {
        try (InputStream in = MalformedPlanCorpus.class.getResourceAsStream("/malformed-plans/EXPECTED.tsv")) {
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
