package io.stagedrollout.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden-file comparison. After an intended change of a report, regenerate with
 * {@code mvn -q -o -pl shared-core test -Dtest='*ReportTest' -Dgolden.update=true} and review the diff.
 */
final class Golden {
    static final Path DIR = Path.of("src/test/resources/io/stagedrollout/core/report");

    private Golden() {}

    static void check(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file %s (regenerate with -Dgolden.update=true)", file).exists();
        assertThat(actual).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
