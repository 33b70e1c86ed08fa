package io.stagedrollout.core.policy;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.plan.SpecReader;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code windows:} and {@code freezes:} from a plan, reporting every problem with its path.
 *
 * <pre>
 * windows:
 *   - {name: business-hours, days: Mon-Thu, from: "09:00", to: "16:00", zone: Europe/Berlin}
 * freezes:
 *   - {from: "2026-12-21T00:00:00+01:00", to: "2027-01-04T00:00:00+01:00", reason: year-end freeze}
 *   - {from: "2026-11-27 00:00", to: "2026-11-30 00:00", zone: America/New_York, reason: Black Friday}
 * </pre>
 */
public final class PolicyReader {
    private static final Pattern TIME = Pattern.compile("([01]?\\d|2[0-3]):([0-5]\\d)");

    private PolicyReader() {}

    public static List<Window> windows(SpecReader parent) {
        List<Window> out = new ArrayList<>();
        for (SpecReader w : parent.objectList("windows")) {
            Window window = window(w);
            w.finish();
            if (window != null) out.add(window);
        }
        return out;
    }

    public static List<Freeze> freezes(SpecReader parent) {
        List<Freeze> out = new ArrayList<>();
        for (SpecReader f : parent.objectList("freezes")) {
            Freeze freeze = freeze(f);
            f.finish();
            if (freeze != null) out.add(freeze);
        }
        return out;
    }

    private static Window window(SpecReader w) {
        String name = w.string("name").orElse(null);
        Set<DayOfWeek> days = days(w);
        LocalTime from = time(w, "from");
        LocalTime to = time(w, "to");
        ZoneId zone = zone(w);
        if (from != null && from.equals(to)) w.problem("to", "equals from: a window must have a length");
        if (days == null || from == null || to == null || zone == null || from.equals(to)) return null;
        return new Window(name, days, from, to, zone);
    }

    private static Freeze freeze(SpecReader f) {
        String reason = f.requiredString("reason");
        ZoneId zone = f.has("zone") ? zone(f) : null;
        Instant from = dateTime(f, "from", zone);
        Instant to = dateTime(f, "to", zone);
        if (from != null && to != null && !to.isAfter(from)) f.problem("to", "must be after from");
        if (reason != null && reason.isBlank()) f.problem("reason", "must not be empty: say why nothing may be deployed");
        if (reason == null || reason.isBlank() || from == null || to == null || !to.isAfter(from)) return null;
        return new Freeze(from, to, reason);
    }

    /** "Mon-Thu", "Mon,Wed,Fri", "Fri-Mon" (wraps), "daily", or a list of those. */
    private static Set<DayOfWeek> days(SpecReader w) {
        JsonNode v = w.raw("days");
        if (v == null) {
            w.problem("days", "is required: e.g. Mon-Fri, Mon,Wed,Fri or daily");
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (v.isArray()) v.forEach(e -> parts.add(e.asText()));
        else parts.add(v.asText());
        EnumSet<DayOfWeek> out = EnumSet.noneOf(DayOfWeek.class);
        for (String part : parts) {
            for (String item : part.split(",")) {
                String t = item.trim().toLowerCase(Locale.ROOT);
                if (t.equals("daily") || t.equals("*")) {
                    out.addAll(EnumSet.allOf(DayOfWeek.class));
                    continue;
                }
                String[] range = t.split("-", -1);
                DayOfWeek a = day(range[0]);
                DayOfWeek b = range.length == 2 ? day(range[1]) : a;
                if (a == null || b == null || range.length > 2) {
                    w.problem("days", "'" + item.trim() + "' is not a day or a range of days (Mon, Tue, Wed, Thu, Fri, Sat, Sun; e.g. Mon-Thu)");
                    return null;
                }
                for (DayOfWeek d = a; ; d = d.plus(1)) {
                    out.add(d);
                    if (d == b) break;
                }
            }
        }
        return out;
    }

    private static DayOfWeek day(String s) {
        String t = s.trim();
        if (t.length() < 3) return null;
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.name().toLowerCase(Locale.ROOT).startsWith(t)) return d;
        }
        return null;
    }

    private static LocalTime time(SpecReader w, String field) {
        JsonNode v = w.raw(field);
        if (v == null) {
            w.problem(field, "is required: a time of day such as \"09:00\"");
            return null;
        }
        Matcher m = TIME.matcher(v.asText().trim());
        if (!v.isTextual() || !m.matches()) {
            w.problem(field, "must be a time of day HH:MM in quotes, such as \"09:00\", not " + v.asText());
            return null;
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    private static ZoneId zone(SpecReader r) {
        String z = r.requiredString("zone");
        if (z == null) return null;
        try {
            return ZoneId.of(z.trim());
        } catch (DateTimeException e) {
            r.problem("zone", "'" + z + "' is not a time zone; use a region name such as Europe/Berlin or UTC");
            return null;
        }
    }

    /** An ISO date-time with an offset ("2026-12-21T00:00:00+01:00", "…Z"), or a local one with the freeze's zone. */
    private static Instant dateTime(SpecReader r, String field, ZoneId zone) {
        String text = r.requiredString(field);
        if (text == null) return null;
        String t = text.trim().replace(' ', 'T');
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // a local date-time needs the zone
        }
        try {
            LocalDateTime local = LocalDateTime.parse(t);
            if (zone == null) {
                r.problem(field, "'" + text + "' has no offset: add one (2026-12-21T00:00:00+01:00) or give the freeze a zone");
                return null;
            }
            return local.atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            r.problem(field, "'" + text + "' is not a date-time such as 2026-12-21T00:00:00+01:00 or 2026-12-21 00:00");
            return null;
        }
    }
}
