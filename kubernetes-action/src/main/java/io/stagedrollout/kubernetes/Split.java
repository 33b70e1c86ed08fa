package io.stagedrollout.kubernetes;

/**
 * How {@code units} (pods, or route weight) are shared between canary and stable for a requested exposure. Whole
 * units only, so the share is rounded; while the exposure is above 0 the canary keeps at least one unit, and while
 * it is below 100 the stable does too (when there are two units or more), so a ring never silently becomes "no
 * canary" or "everyone". {@code actualPercent} is the share the canary really gets.
 */
public record Split(int canary, int stable, double actualPercent) {

    public static Split of(int units, double percent) {
        if (units < 1) {
            throw new IllegalArgumentException("units must be at least 1, not " + units);
        }
        if (!(percent >= 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be from 0 to 100, not " + percent);
        }
        int canary = (int) Math.round(units * percent / 100.0);
        if (percent > 0 && percent < 100 && units >= 2) {
            canary = Math.max(1, Math.min(units - 1, canary));
        } else if (percent > 0) {
            canary = Math.max(1, canary);
        }
        return new Split(canary, units - canary, 100.0 * canary / units);
    }

    /** True when the units could not carry the requested percent exactly. */
    public boolean differsFrom(double percent) {
        return Math.abs(actualPercent - percent) > 1e-9;
    }

    /** {@code 5%}, {@code 33.3%}, {@code 0.25%}: one decimal from 1% up, three below (weights below 1%). */
    public static String percent(double p) {
        String s = String.format(java.util.Locale.ROOT, p >= 1 ? "%.1f" : "%.3f", p);
        s = s.replaceAll("\\.?0+$", "");
        return s + "%";
    }
}
