package io.stagedrollout.core.plan;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people write them in plans: {@code 0s}, {@code 250ms}, {@code 30s}, {@code 10m}, {@code 1h30m}, {@code 2d}. */
public final class Durations {
    private static final Pattern WHOLE = Pattern.compile("(?:\\d{1,9}(?:ms|d|h|m|s))+");
    private static final Pattern PART = Pattern.compile("(\\d{1,9})(ms|d|h|m|s)");
    /** Nothing in a rollout sensibly waits longer than this; larger values are typos. */
    public static final Duration MAX = Duration.ofDays(30);

    private Durations() {}

    public static Optional<Duration> parse(String text) {
        if (text == null || !WHOLE.matcher(text).matches()) {
            return Optional.empty();
        }
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        return total.compareTo(MAX) > 0 ? Optional.empty() : Optional.of(total);
    }

    /** The inverse of {@link #parse}: {@code 1h30m}, {@code 45s}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        long days = d.toDays();
        if (days > 0) sb.append(days).append('d');
        if (d.toHoursPart() > 0) sb.append(d.toHoursPart()).append('h');
        if (d.toMinutesPart() > 0) sb.append(d.toMinutesPart()).append('m');
        if (d.toSecondsPart() > 0) sb.append(d.toSecondsPart()).append('s');
        if (d.toMillisPart() > 0) sb.append(d.toMillisPart()).append("ms");
        return sb.toString();
    }
}
