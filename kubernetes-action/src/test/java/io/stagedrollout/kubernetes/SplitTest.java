package io.stagedrollout.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SplitTest {

    @ParameterizedTest(name = "{0} units at {1}% -> canary {2}, actual {3}%")
    @CsvSource({
        "20, 5, 1, 5",
        "20, 25, 5, 25",
        "20, 50, 10, 50",
        "20, 100, 20, 100",
        "20, 0, 0, 0",
        "3, 5, 1, 33.333333333333336",
        "3, 50, 2, 66.66666666666667",
        "20, 99, 19, 95",
        "1, 5, 1, 100",
        "1000, 0.5, 5, 0.5",
        "100, 0.25, 1, 1",
    })
    void splitsUnitsKeepingOneOnEachSideWhileBothShouldServe(int units, double percent, int canary, double actual) {
        Split s = Split.of(units, percent);
        assertThat(s.canary()).isEqualTo(canary);
        assertThat(s.stable()).isEqualTo(units - canary);
        assertThat(s.actualPercent()).isEqualTo(actual);
    }

    @Test
    void exactSplitNeedsNoCorrection() {
        assertThat(Split.of(20, 5).differsFrom(5)).isFalse();
        assertThat(Split.of(3, 5).differsFrom(5)).isTrue();
    }

    @Test
    void percentOutsideZeroToHundredIsRefused() {
        assertThatThrownBy(() -> Split.of(10, 101)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Split.of(10, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Split.of(0, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"5, 5%", "33.333333, 33.3%", "0.25, 0.25%", "0.01, 0.01%", "100, 100%", "0, 0%"})
    void percentReadsAsPeopleWriteIt(double p, String text) {
        assertThat(Split.percent(p)).isEqualTo(text);
    }
}
