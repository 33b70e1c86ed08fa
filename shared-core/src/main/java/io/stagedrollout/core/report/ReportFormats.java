package io.stagedrollout.core.report;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.util.List;
import java.util.Locale;

/** The report formats of {@code rollout report --format junit|markdown|html}, by name. */
public final class ReportFormats {
    public static final List<String> NAMES = List.of("junit", "markdown", "html");

    private ReportFormats() {}

    /**
     * Renders {@code state} and its journal ({@code RolloutStore.history(key)}; events of other rollouts of the
     * same key are ignored) in {@code format}: junit, markdown (or md), html.
     *
     * @throws IllegalArgumentException for an unknown format, naming the known ones
     */
    public static String render(String format, RolloutState state, List<RolloutEvent> journal) {
        return switch (format == null ? "" : format.toLowerCase(Locale.ROOT)) {
            case "junit", "xml" -> JunitReport.render(state, journal);
            case "markdown", "md" -> MarkdownReport.render(state, journal);
            case "html" -> HtmlReport.render(state, journal);
            default -> throw new IllegalArgumentException("unknown report format '" + format + "'; use one of " + String.join(", ", NAMES));
        };
    }

    /** The usual file name extension for {@code format}. */
    public static String extension(String format) {
        return switch (format.toLowerCase(Locale.ROOT)) {
            case "junit", "xml" -> "xml";
            case "markdown", "md" -> "md";
            default -> "html";
        };
    }
}
