package io.stagedrollout.core.report;

import static io.stagedrollout.core.testing.TestRollouts.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.testing.TestRollouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress people see: one line redrawn in place on a terminal, plain lines in CI logs. */
class ConsoleProgressTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    /** The early-adopters ring (2 of 3) waiting for a person. */
    static RolloutState waitingForApproval(long revision) {
        RolloutState s = TestRollouts.started(TestRollouts.threeRings(), "2.4.0");
        return new RolloutState(s.id(), s.service(), s.environment(), s.version(), s.stableVersion(), Status.AWAITING_APPROVAL, 1,
                revision, s.startedAt(), T0, T0, T0, s.gates(), null, "approval", null, s.plan());
    }

    String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** What each redraw left on the terminal's last line: the text after the last erase of each draw. */
    List<String> redrawnLines() {
        return Arrays.stream(printed().split("\r\033\\[K")).filter(l -> !l.isEmpty() && !l.endsWith("\n")).toList();
    }

    @Test
    void theRedrawnLineIsNeverWiderThanTheTerminal() {
        ConsoleProgress p = new ConsoleProgress(out, true, Duration.ofSeconds(10), () -> 40);
        p.progress(waitingForApproval(7), T0);
        p.progress(waitingForApproval(7), T0.plusSeconds(1));

        assertThat(redrawnLines()).hasSize(2).allSatisfy(l -> assertThat(l.codePointCount(0, l.length())).isLessThanOrEqualTo(39));
    }

    @Test
    void everyRedrawErasesTheLineBeforeIt() {
        ConsoleProgress p = new ConsoleProgress(out, true, Duration.ofSeconds(10), () -> 200);
        for (int i = 0; i < 3; i++) p.progress(waitingForApproval(7), T0.plusSeconds(i));

        String afterHint = printed().substring(printed().indexOf('\n') + 1);
        String[] draws = afterHint.split("\r\033\\[K", -1);
        assertThat(draws).hasSize(4);
        assertThat(draws[0]).as("nothing is drawn before the first erase").isEmpty();
    }

    @Test
    void theApprovalCommandsArePrintedOnceOnALineOfTheirOwn() {
        ConsoleProgress p = new ConsoleProgress(out, true, Duration.ofSeconds(10), () -> 60);
        for (int i = 0; i < 5; i++) p.progress(waitingForApproval(7), T0.plusSeconds(i));

        // the commands name this rollout's id, so one pasted later can never act on a newer rollout
        assertThat(printed().split(java.util.regex.Pattern.quote(CommandHints.promote(waitingForApproval(7))), -1)).hasSize(2);
        assertThat(printed()).contains(CommandHints.rollback(waitingForApproval(7)) + "\n").contains("--rollout-id");
        p.progress(waitingForApproval(8), T0.plusSeconds(9)); // held again, later: said again
        assertThat(printed().split("rollout promote --rollout", -1)).hasSize(3);
    }

    @Test
    void logsGetWholeTimestampedLinesWithTheCommands() {
        ConsoleProgress p = new ConsoleProgress(out, false, Duration.ofSeconds(10), () -> 40);
        p.progress(waitingForApproval(7), T0);
        p.progress(waitingForApproval(7), T0.plusSeconds(1)); // within plainEvery: not repeated

        assertThat(printed()).doesNotContain("\r").doesNotContain("\033")
                .isEqualTo("2026-11-26T10:00:00Z ring 2/3 early-adopters 25% · waiting for a person (approval): "
                        + CommandHints.promote(waitingForApproval(7)) + "  |  " + CommandHints.rollback(waitingForApproval(7)) + "\n");
    }

    @Test
    void aCutLineEndsWithAnEllipsis() {
        assertThat(ConsoleProgress.fit("x".repeat(50), 30)).hasSize(30).endsWith("…");
        assertThat(ConsoleProgress.fit("short", 30)).isEqualTo("short");
    }
}
