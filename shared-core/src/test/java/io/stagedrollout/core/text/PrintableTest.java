package io.stagedrollout.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PrintableTest {
    @Test
    void terminalControlSequencesBecomeVisibleEscapes() {
        assertThat(Printable.escape("1.0\u001b[2J\u009b31m")).isEqualTo("1.0\\u001b[2J\\u009b31m");
        assertThat(Printable.escape("a\rb\nc\td\u007f")).isEqualTo("a\\rb\\nc\\td\\u007f");
    }

    @Test
    void bidiAndZeroWidthCharactersBecomeVisibleEscapes() {
        assertThat(Printable.escape("evil\u202eexe.txt")).isEqualTo("evil\\u202eexe.txt");
        assertThat(Printable.escape("ad\u200bmin\u2066\u2069\ufeff\u00ad")).isEqualTo("ad\\u200bmin\\u2066\\u2069\\ufeff\\u00ad");
        assertThat(Printable.escape("line\u2028sep")).isEqualTo("line\\u2028sep");
    }

    @Test
    void ordinaryTextOfAnyScriptIsKeptAsItIs() {
        for (String s : new String[] {"2.4.0-rc.1+build.7", "Jürgen Groß", "山田太郎", "שלום", "émoji 🚀 ✅", "a|b <c> & \"d\""}) {
            assertThat(Printable.escape(s)).isSameAs(s);
            assertThat(Printable.isPrintable(s)).isTrue();
        }
    }

    @Test
    void aNewlineCannotForgeALine() {
        String forged = "mallory\n2026-01-01T00:00:00Z  r9  PROMOTED  alice";
        assertThat(Printable.escape(forged)).doesNotContain("\n").startsWith("mallory\\n2026");
    }

    @Test
    void composedMessagesKeepTheirLinesButLoseEverythingElse() {
        assertThat(Printable.lines("2 problems:\n  - a\u001b[31m\r\n\t- b\u202e")).isEqualTo("2 problems:\n  - a\\u001b[31m\\r\n\t- b\\u202e");
    }

    @Test
    void loneSurrogatesAreEscapedButPairsAreKept() {
        assertThat(Printable.escape("x\ud800y")).isEqualTo("x\\ud800y");
        assertThat(Printable.escape("\ud83d\ude80")).isEqualTo("\ud83d\ude80");
    }

    @Test
    void aFieldWithUnsafeCharactersIsRefusedNamingThePositionNotRepeatingIt() {
        assertThat(Printable.problem("1.0\u009b31m", 100)).hasValueSatisfying(m -> assertThat(m).contains("\\u009b", "position 4").doesNotContain("\u009b"));
        assertThat(Printable.problem("alice\nPROMOTED", 100)).hasValueSatisfying(m -> assertThat(m).contains("one line"));
        assertThat(Printable.problem("", 100)).hasValue("must not be empty");
        assertThat(Printable.problem("x".repeat(101), 100)).hasValueSatisfying(m -> assertThat(m).contains("at most 100"));
        assertThat(Printable.problem("1.0;rm -rf / $(x)", 100)).isEmpty();
    }

    @Test
    void jsonForDisplayEscapesUnsafeCharactersAndKeepsTheValue() throws Exception {
        ObjectMapper m = new ObjectMapper();
        m.getFactory().setCharacterEscapes(Printable.jsonEscapes());
        Map<String, String> value = Map.of("v", "1.0\u009b31m\u202e\u200b\u007f\u001b ✅ 🚀");
        String json = m.writeValueAsString(value);
        assertThat(json).doesNotContain("\u009b", "\u202e", "\u200b", "\u007f", "\u001b").contains("✅", "🚀");
        assertThat(new ObjectMapper().readValue(json, Map.class)).isEqualTo(value);
    }

    @Property
    void escapedTextNeverCarriesAnUnsafeCharacter(@ForAll String s) {
        String e = Printable.escape(s);
        assertThat(e.codePoints().noneMatch(Printable::unsafe)).isTrue();
        assertThat(Printable.isPrintable(e)).isTrue();
    }
}
