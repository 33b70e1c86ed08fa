package io.stagedrollout.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deployment windows and freezes against a fixed instant, across both Europe/Berlin DST changes of 2026. */
class DeployCalendarTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** Mon-Thu 09:00-16:00 Europe/Berlin. */
    static final Window OFFICE = new Window("office-hours", EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
            LocalTime.of(9, 0), LocalTime.of(16, 0), BERLIN);

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    static DeployCalendar calendar(Window w, Freeze... freezes) {
        return new DeployCalendar(List.of(w), List.of(freezes));
    }

    @Test
    void insideTheWindowARingMayBeDeployed() {
        // Tue 2026-11-24 11:00 CET
        assertThat(calendar(OFFICE).check(t("2026-11-24T10:00:00Z"))).isEmpty();
    }

    @Test
    void theWindowOpensOnItsFirstMinuteAndClosesOnItsLast() {
        // Tue 2026-11-24, CET = UTC+1
        assertThat(OFFICE.contains(t("2026-11-24T07:59:59Z"))).isFalse(); // 08:59:59
        assertThat(OFFICE.contains(t("2026-11-24T08:00:00Z"))).isTrue(); // 09:00
        assertThat(OFFICE.contains(t("2026-11-24T14:59:59Z"))).isTrue(); // 15:59:59
        assertThat(OFFICE.contains(t("2026-11-24T15:00:00Z"))).isFalse(); // 16:00
    }

    @Test
    void outsideTheWindowTheClosureNamesTheWindowAndItsNextOpening() {
        // Tue 2026-11-24 16:00 CET: next opening Wed 09:00 CET
        Closure c = calendar(OFFICE).check(t("2026-11-24T15:00:00Z")).orElseThrow();
        assertThat(c.kind()).isEqualTo("window");
        assertThat(c.window()).contains("office-hours").contains("Mon,Tue,Wed,Thu 09:00-16:00 Europe/Berlin");
        assertThat(c.opensAt()).isEqualTo(t("2026-11-25T08:00:00Z"));
    }

    @Test
    void theNextOpeningAcrossTheSpringDstChangeIsAtNineLocalTime() {
        // Thu 2026-03-26 16:00 CET; clocks go forward on Sun 2026-03-29; Mon 09:00 CEST is 07:00Z
        assertThat(calendar(OFFICE).check(t("2026-03-26T15:00:00Z")).orElseThrow().opensAt())
                .isEqualTo(t("2026-03-30T07:00:00Z"));
    }

    @Test
    void theNextOpeningAcrossTheAutumnDstChangeIsAtNineLocalTime() {
        // Thu 2026-10-22 16:00 CEST; clocks go back on Sun 2026-10-25; Mon 09:00 CET is 08:00Z
        assertThat(calendar(OFFICE).check(t("2026-10-22T14:00:00Z")).orElseThrow().opensAt())
                .isEqualTo(t("2026-10-26T08:00:00Z"));
        // the edge minute after the change is in local time too
        assertThat(OFFICE.contains(t("2026-10-26T07:59:00Z"))).isFalse();
        assertThat(OFFICE.contains(t("2026-10-26T08:00:00Z"))).isTrue();
    }

    @Test
    void aWindowInTheSkippedHourDoesNotOpenOnTheDayOfTheSpringChange() {
        Window night = new Window(null, EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 0), LocalTime.of(2, 30), BERLIN);
        // Sun 2026-03-29 00:00 CET: 02:00-02:30 does not exist that night; the next one is Mon 02:00 CEST = 00:00Z
        assertThat(night.nextOpening(t("2026-03-28T23:00:00Z"))).isEqualTo(t("2026-03-30T00:00:00Z"));
    }

    @Test
    void aWindowInTheRepeatedHourIsOpenBothTimesOnTheDayOfTheAutumnChange() {
        Window night = new Window(null, EnumSet.allOf(DayOfWeek.class), LocalTime.of(2, 0), LocalTime.of(3, 0), BERLIN);
        assertThat(night.contains(t("2026-10-25T00:30:00Z"))).isTrue(); // 02:30 CEST
        assertThat(night.contains(t("2026-10-25T01:30:00Z"))).isTrue(); // 02:30 CET
        assertThat(night.contains(t("2026-10-25T02:00:00Z"))).isFalse(); // 03:00 CET
    }

    @Test
    void anOvernightMaintenanceWindowBelongsToTheDayItOpens() {
        Window saturdayNight = new Window("maintenance", EnumSet.of(DayOfWeek.SATURDAY), LocalTime.of(22, 0),
                LocalTime.of(2, 0), BERLIN);
        assertThat(saturdayNight.contains(t("2026-11-28T20:59:00Z"))).isFalse(); // Sat 21:59
        assertThat(saturdayNight.contains(t("2026-11-28T21:00:00Z"))).isTrue(); // Sat 22:00
        assertThat(saturdayNight.contains(t("2026-11-29T00:59:00Z"))).isTrue(); // Sun 01:59
        assertThat(saturdayNight.contains(t("2026-11-29T01:00:00Z"))).isFalse(); // Sun 02:00
        assertThat(saturdayNight.contains(t("2026-11-30T00:30:00Z"))).isFalse(); // Mon 01:30: Sunday has no window
    }

    @Test
    void aFreezeOverAWindowClosesItUntilTheFreezeEnds() {
        // freeze from Mon 2026-11-23 00:00 to Wed 2026-11-25 12:00 CET
        Freeze f = new Freeze(t("2026-11-22T23:00:00Z"), t("2026-11-25T11:00:00Z"), "payment provider migration");
        Closure c = calendar(OFFICE, f).check(t("2026-11-24T10:00:00Z")).orElseThrow();
        assertThat(c.kind()).isEqualTo("freeze");
        assertThat(c.freeze()).isEqualTo("payment provider migration");
        assertThat(c.opensAt()).isEqualTo(t("2026-11-25T11:00:00Z")); // Wed 12:00, inside the window
        assertThat(calendar(OFFICE, f).check(t("2026-11-25T11:00:00Z"))).isEmpty();
    }

    @Test
    void aFreezeEndingAfterTheWindowClosedOpensWithTheNextWindow() {
        // freeze until Wed 2026-11-25 17:00 CET: the window is closed by then, so Thu 09:00
        Freeze f = new Freeze(t("2026-11-22T23:00:00Z"), t("2026-11-25T16:00:00Z"), "year-end");
        assertThat(calendar(OFFICE, f).check(t("2026-11-24T10:00:00Z")).orElseThrow().opensAt())
                .isEqualTo(t("2026-11-26T08:00:00Z"));
    }

    @Test
    void aFreezeWithoutAKnownEndHasNoKnownOpening() {
        Freeze gitlab = Freeze.fromGitLab(java.util.Map.of("CI_DEPLOY_FREEZE", "true")).orElseThrow();
        Closure c = new DeployCalendar(List.of(), List.of(gitlab)).check(t("2026-11-24T10:00:00Z")).orElseThrow();
        assertThat(c.freeze()).contains("CI_DEPLOY_FREEZE");
        assertThat(c.opensAt()).isNull();
        assertThat(Freeze.fromGitLab(java.util.Map.of())).isEmpty();
    }

    @Test
    void withoutWindowsOrFreezesARingMayAlwaysBeDeployed() {
        assertThat(new DeployCalendar(List.of(), List.of()).check(t("2026-12-25T03:00:00Z"))).isEmpty();
    }
}
