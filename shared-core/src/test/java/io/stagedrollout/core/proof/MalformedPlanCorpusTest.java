package io.stagedrollout.core.proof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.PlanReader;
import io.stagedrollout.core.plan.Problem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every plan of the malformed corpus is refused quickly with problems that name what is wrong. */
class MalformedPlanCorpusTest {
    @TempDir
    Path dir;

    static List<MalformedPlanCorpus.Entry> corpus() {
        return MalformedPlanCorpus.entries();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefusedWithAProblemNamingWhatIsWrong(MalformedPlanCorpus.Entry entry) throws Exception {
        Path file = entry.copyTo(dir);
        long t0 = System.nanoTime();
        Throwable thrown = catchThrowable(() -> PlanReader.read(file));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(thrown).isInstanceOf(InvalidPlanException.class);
        List<Problem> problems = ((InvalidPlanException) thrown).problems();
        assertThat(problems).isNotEmpty();
        assertThat(problems).extracting(Problem::toString).anySatisfy(p -> assertThat(p).contains(entry.mustName()));
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.message()).hasSizeLessThan(600).doesNotContain("\u202e", "\u0000", "\u200b");
            // the corpus's secrets are all "hunter2": a refusal names where the secret is, never the secret
            assertThat(p.toString()).doesNotContain("hunter2");
        });
        // generous: a limit that works answers in milliseconds; an expanded alias bomb or a deep recursion would not
        assertThat(took).as("time to refuse %s", entry).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void theCorpusCoversEveryFileInTheDirectory() throws Exception {
        Path root = Path.of(MalformedPlanCorpusTest.class.getResource("/malformed-plans/EXPECTED.tsv").toURI()).getParent();
        try (var files = java.nio.file.Files.list(root)) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> !f.equals("EXPECTED.tsv")))
                    .containsExactlyInAnyOrderElementsOf(corpus().stream().map(MalformedPlanCorpus.Entry::file).toList());
        }
    }

    @Test
    void aPlanLargerThanTheLimitIsRefusedBeforeItIsParsed() throws Exception {
        Path big = java.nio.file.Files.writeString(dir.resolve("big.yaml"), "service: checkout\n# " + "x".repeat(2 << 20) + "\n");
        Throwable thrown = catchThrowable(() -> PlanReader.read(big));
        assertThat(thrown).isInstanceOf(InvalidPlanException.class).hasMessageContaining("larger than");
    }
}
