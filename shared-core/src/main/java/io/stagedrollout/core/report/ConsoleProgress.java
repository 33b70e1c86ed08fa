package io.stagedrollout.core.report;

import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.gate.GateProgress;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Status;
import io.stagedrollout.core.plan.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Progress for people. On a terminal one status line is redrawn in place (ring i of N, exposure, bake time left,
 * each gate's tally); in CI logs (not a terminal) plain timestamped lines, a progress line at most every
 * {@code plainEvery}, so logs stay readable.
 */
public final class ConsoleProgress implements EngineListener {
    private final PrintStream out;
    private final boolean terminal;
    private final Duration plainEvery;
    private Instant lastPlain = Instant.EPOCH;
    private boolean lineOpen;

    public ConsoleProgress(PrintStream out, boolean terminal, Duration plainEvery) {
        this.out = out;
        this.terminal = terminal;
        this.plainEvery = plainEvery;
    }

    @Override
    public synchronized void event(RolloutEvent e) {
        clearLine();
        String ring = e.ring() == null ? "" : "[" + e.ring() + "] ";
        out.println(stamp(e.at()) + " " + ring + e.type() + ": " + e.reason());
    }

    @Override
    public synchronized void output(String line) {
        clearLine();
        out.println(stamp(Instant.now()) + " " + line);
    }

    @Override
    public synchronized void progress(RolloutState s, Instant now) {
        String line = describe(s, now);
        if (terminal) {
            out.print("\r\033[K" + line);
            out.flush();
            lineOpen = true;
        } else if (Duration.between(lastPlain, now).compareTo(plainEvery) >= 0) {
            lastPlain = now;
            out.println(stamp(now) + " " + line);
        }
    }

    /** "ring 1/3 canary 5% · bake 4m10s left · error-rate 3✓ 0✗ · smoke 1✓". */
    public static String describe(RolloutState s, Instant now) {
        var closed = io.stagedrollout.core.machine.RolloutMachine.waitingFor(s, now, java.util.List.of());
        if (closed.isPresent()) {
            var c = closed.get();
            return "ring " + (s.ringIndex() + 2) + "/" + s.plan().rings().size() + " " + s.plan().ring(s.ringIndex() + 1).name()
                    + " waits " + (c.freeze() != null ? "for the freeze to end (" + c.freeze() + ")" : "for its window " + c.window())
                    + (c.opensAt() == null ? "" : " · opens " + c.opensAt() + " (in "
                    + Durations.format(Duration.between(now, c.opensAt()).truncatedTo(ChronoUnit.MINUTES)) + ")");
        }
        if (s.ring() == null) return s.status().name();
        StringBuilder sb = new StringBuilder();
        sb.append("ring ").append(s.ringIndex() + 1).append('/').append(s.plan().rings().size()).append(' ')
                .append(s.ringName()).append(' ').append(s.ring().exposure().describe());
        if (s.status() == Status.BAKING && s.bakeEndsAt() != null) {
            Duration left = Duration.between(now, s.bakeEndsAt());
            sb.append(" · bake ").append(left.isNegative() ? "ending" : Durations.format(left.truncatedTo(ChronoUnit.SECONDS)) + " left");
        } else if (s.status() == Status.AWAITING_APPROVAL) {
            sb.append(" · waiting for a person (").append(s.hold()).append("): ").append(CommandHints.promote(s))
                    .append("  |  ").append(CommandHints.rollback(s));
        } else {
            sb.append(" · ").append(s.status());
        }
        for (GateProgress g : s.gates()) {
            sb.append(" · ").append(g.gate()).append(' ').append(g.passed()).append("✓ ").append(g.failed()).append("✗");
            if (g.inconclusive() > 0) sb.append(' ').append(g.inconclusive()).append('?');
            if (g.errors() > 0) sb.append(' ').append(g.errors()).append('!');
        }
        return sb.toString();
    }

    private void clearLine() {
        if (lineOpen) {
            out.print("\r\033[K");
            lineOpen = false;
        }
    }

    private static String stamp(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
