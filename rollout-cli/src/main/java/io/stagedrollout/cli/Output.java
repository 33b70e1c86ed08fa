package io.stagedrollout.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.plan.Problem;
import io.stagedrollout.core.report.StatusJson;
import io.stagedrollout.core.text.Printable;
import io.stagedrollout.core.text.PrintableStream;
import java.io.PrintStream;
import java.util.List;

/**
 * Writes a command's result: for people as text, or as the one JSON object of the machine contract
 * ({@code --output json}: stdout holds exactly that object, human text goes to stderr).
 */
public final class Output {
    private final boolean json;
    private final PrintStream out;
    private final PrintStream err;
    private List<io.stagedrollout.core.policy.Freeze> hostFreezes = List.of();

    private final PrintStream rawHuman;
    /** stdout as given: the JSON written there is made safe by Printable.json itself. */
    private final PrintStream rawOut;

    /**
     * Everything printed through an Output is safe to show: text passes through {@link PrintableStream} (no raw
     * control, bidi or zero-width character, no credential in a URL) and JSON is written with those characters
     * escaped and secrets masked.
     */
    public Output(boolean json, PrintStream out, PrintStream err) {
        this.json = json;
        this.rawHuman = json ? err : out;
        this.rawOut = out;
        this.out = PrintableStream.of(out);
        this.err = PrintableStream.of(err);
    }

    /** Freezes the CI host announces, so that {@code rollout.waitingFor} counts them too. */
    public Output withHostFreezes(List<io.stagedrollout.core.policy.Freeze> freezes) {
        this.hostFreezes = List.copyOf(freezes);
        return this;
    }

    public boolean json() {
        return json;
    }

    /** Where human-readable text goes: stdout for text output, stderr when stdout carries JSON. Sanitized. */
    public PrintStream human() {
        return json ? err : out;
    }

    /**
     * The same stream unsanitized, for the progress line that redraws itself on a terminal with its own control
     * sequences; what it prints from outside goes through {@code Printable} there.
     */
    public PrintStream terminal() {
        return rawHuman;
    }

    /** A time for people: UTC to the second (JSON keeps the full precision). */
    public static String time(java.time.Instant t) {
        return t == null ? "-" : t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }

    /** The result word for the JSON contract. */
    public static String resultFor(int exitCode, String dflt) {
        return switch (exitCode) {
            case ExitCode.INVALID -> "invalid";
            case ExitCode.CONFLICT -> "conflict";
            case ExitCode.WAITING -> "waiting";
            case ExitCode.ERROR -> "error";
            case ExitCode.REVERT_FAILED -> "failed";
            default -> dflt;
        };
    }

    /** Finishes a command: prints its message (and the rollout) and returns the exit code. */
    public int finish(String command, String result, int exitCode, String message, RolloutState state, ObjectNode extra) {
        if (json) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("command", command);
            o.put("result", result);
            o.put("exitCode", exitCode);
            o.put("message", message);
            if (state != null) o.set("rollout", StatusJson.rollout(state, java.time.Instant.now(), hostFreezes));
            if (extra != null) o.setAll(extra);
            rawOut.println(Printable.json(o));
        } else if (message != null && !message.isEmpty()) {
            (exitCode == ExitCode.OK ? out : err).println(message);
        }
        out.flush();
        rawOut.flush();
        return exitCode;
    }

    public int invalid(String command, List<Problem> problems, String headline) {
        if (json) {
            ObjectNode extra = JsonNodeFactory.instance.objectNode();
            ArrayNode a = extra.putArray("problems");
            for (Problem p : problems) {
                ObjectNode po = a.addObject();
                po.put("path", p.path());
                po.put("line", p.line());
                po.put("message", p.message());
            }
            return finish(command, "invalid", ExitCode.INVALID, headline, null, extra);
        }
        // one problem is said once; several get a headline and a list
        err.println(Printable.escape(problems.size() == 1 ? problems.get(0).toString() : headline));
        if (problems.size() > 1) for (Problem p : problems) err.println("  - " + Printable.escape(p.toString()));
        err.flush();
        return ExitCode.INVALID;
    }
}
