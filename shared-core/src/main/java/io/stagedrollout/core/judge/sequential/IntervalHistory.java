package io.stagedrollout.core.judge.sequential;

import java.util.ArrayList;
import java.util.List;

/**
 * Every interval's counts of one bake, written compactly into a measurement's data ("cr ce br be" per interval,
 * comma-separated). The engine keeps only a gate's last measurement, so each measurement carries the whole history
 * and a restarted process rebuilds the test exactly, instead of starting a new test (which, like any repeated look,
 * would spend the false-alarm budget twice).
 */
final class IntervalHistory {
    static final String KEY = "intervals";

    private IntervalHistory() {}

    static String encode(List<IntervalCounts> history) {
        StringBuilder sb = new StringBuilder();
        for (IntervalCounts c : history) {
            if (!sb.isEmpty()) sb.append(',');
            sb.append(c.canaryRequests()).append(' ').append(c.canaryErrors()).append(' ')
                    .append(c.baselineRequests()).append(' ').append(c.baselineErrors());
        }
        return sb.toString();
    }

    /** The history, or null when the text is not one this gate wrote. */
    static List<IntervalCounts> decode(String text) {
        List<IntervalCounts> out = new ArrayList<>();
        if (text.isEmpty()) return out;
        try {
            for (String part : text.split(",")) {
                String[] f = part.trim().split(" ");
                if (f.length != 4) return null;
                out.add(new IntervalCounts(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3])));
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return out;
    }
}
