package io.stagedrollout.core.policy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * A weekly deployment window: on {@code days}, from {@code from} (inclusive) to {@code to} (exclusive), wall-clock
 * time in {@code zone}. {@code to} at or before {@code from} means the window runs past midnight into the next day
 * (a 22:00–02:00 maintenance window belongs to the day it opens). Wall-clock time is what teams agree on, so a
 * 09:00 window opens at 09:00 local time on both sides of a daylight-saving change; a window in the skipped hour
 * does not open that day, and one in the repeated hour is open for both.
 */
public record Window(String name, Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {
    /** How far ahead {@link #nextOpening} looks: a weekly window opens within a week (plus a DST skip). */
    private static final int LOOKAHEAD_DAYS = 15;

    public Window {
        days = days.isEmpty() ? EnumSet.noneOf(DayOfWeek.class) : EnumSet.copyOf(days);
    }

    public boolean overnight() {
        return !to.isAfter(from);
    }

    public boolean contains(Instant t) {
        ZonedDateTime z = t.atZone(zone);
        LocalTime time = z.toLocalTime();
        DayOfWeek day = z.getDayOfWeek();
        if (!overnight()) return days.contains(day) && !time.isBefore(from) && time.isBefore(to);
        return (days.contains(day) && !time.isBefore(from)) || (days.contains(day.minus(1)) && time.isBefore(to));
    }

    /** {@code t} itself when the window is open at {@code t}, else the next instant it opens; null if never. */
    public Instant nextOpening(Instant t) {
        if (contains(t)) return t;
        LocalDate date = t.atZone(zone).toLocalDate();
        for (int i = 0; i <= LOOKAHEAD_DAYS; i++) {
            LocalDate d = date.plusDays(i);
            if (!days.contains(d.getDayOfWeek())) continue;
            // in a DST gap atZone moves the time forward; contains() then tells whether the window really opens
            Instant start = d.atTime(from).atZone(zone).toInstant();
            if (start.isAfter(t) && contains(start)) return start;
        }
        return null;
    }

    /** "business-hours (Mon-Thu 09:00-16:00 Europe/Berlin)" or just the schedule when unnamed. */
    public String describe() {
        String schedule = daysText() + " " + from + "-" + to + " " + zone.getId();
        return name == null ? schedule : name + " (" + schedule + ")";
    }

    public String label() {
        return name != null ? name : daysText() + " " + from + "-" + to + " " + zone.getId();
    }

    private String daysText() {
        if (days.size() == 7) return "daily";
        StringBuilder sb = new StringBuilder();
        for (DayOfWeek d : DayOfWeek.values()) {
            if (!days.contains(d)) continue;
            if (sb.length() > 0) sb.append(',');
            sb.append(d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH));
        }
        return sb.toString();
    }
}
