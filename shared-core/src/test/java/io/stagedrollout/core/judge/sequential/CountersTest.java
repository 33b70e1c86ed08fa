package io.stagedrollout.core.judge.sequential;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The counters a measurement keeps for the next interval, and how they read back. */
class CountersTest {
    private static final Instant AT = Instant.parse("2026-03-01T10:00:00Z");

    private static Counters withSeries() {
        return new Counters(30, 3, 100, 1, AT, new Counters.Series(Map.of("aa", 20.0, "bb", 10.0), Map.of("cc", 3.0),
                Map.of("dd", 100.0), Map.of("ee", 1.0)));
    }

    @Test
    void perSeriesValuesSurviveWritingAndReadingBack() {
        Map<String, Object> data = new LinkedHashMap<>();
        withSeries().writeTo(data);
        assertThat(Counters.readFrom(data)).isEqualTo(withSeries());
    }

    @Test
    void damagedPerSeriesValuesFallBackToTheSums() {
        Map<String, Object> data = new LinkedHashMap<>();
        withSeries().writeTo(data);
        @SuppressWarnings("unchecked")
        Map<String, Object> series = new LinkedHashMap<>((Map<String, Object>) data.get(Counters.SERIES));
        series.put(Counters.CANARY_ERRORS, Map.of("cc", "three"));
        data.put(Counters.SERIES, series);
        Counters read = Counters.readFrom(data);
        assertThat(read.series()).isNull();
        assertThat(read.canaryErrors()).isEqualTo(3.0);
    }

    @Test
    void keptDataWithMoreSeriesThanTheCapFallsBackToTheSums() {
        Map<String, Double> many = new LinkedHashMap<>();
        for (int i = 0; i <= Counters.MAX_SERIES; i++) many.put("k" + i, 1.0);
        Map<String, Object> data = new LinkedHashMap<>();
        new Counters(1001, 0, 1, 0, AT, new Counters.Series(many, Map.of(), Map.of("dd", 1.0), Map.of())).writeTo(data);
        assertThat(Counters.readFrom(data).series()).isNull();
    }

    @Test
    void aCounterReadAsOneNumberIsDiffedAsASumWhileTheOthersGoPerSeries() {
        Counters before = new Counters(30, 3, 100, 1, AT, new Counters.Series(Map.of("aa", 20.0, "bb", 10.0), null,
                Map.of("dd", 100.0), Map.of("ee", 1.0)));
        // bb restarted (10 -> 4); the canary errors, one number, went down: that counter cannot tell, so it refuses
        Counters wentDown = new Counters(29, 2, 150, 2, AT, new Counters.Series(Map.of("aa", 25.0, "bb", 4.0), null,
                Map.of("dd", 150.0), Map.of("ee", 2.0)));
        Counters grew = new Counters(29, 5, 150, 2, AT, new Counters.Series(Map.of("aa", 25.0, "bb", 4.0), null,
                Map.of("dd", 150.0), Map.of("ee", 2.0)));

        assertThat(grew.since(before).counts()).isEqualTo(new IntervalCounts(9, 2, 50, 1));
        assertThat(grew.since(before).restartedSeries()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> wentDown.since(before))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("canary errors counter went down");
    }
}
