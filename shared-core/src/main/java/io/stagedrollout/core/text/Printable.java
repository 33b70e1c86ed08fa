package io.stagedrollout.core.text;

import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Optional;

/**
 * The one sanitizer for everything printed: terminal, CI log, {@code history}, reports, CI outputs. Values that came
 * from outside (versions, actor names, gate answers, reasons, plan text) may carry characters that move the cursor,
 * rewrite or hide text on a terminal (ESC, the C1 CSI U+009B, carriage returns), forge whole lines (newlines), or
 * reorder or hide what a reader sees (bidi controls such as U+202E, zero-width characters). Such characters are
 * shown as visible escapes ({@code \n}, {@code \u001b}, {@code \u202e}), so the text stays readable and nothing
 * is silently dropped.
 */
public final class Printable {
    /** The longest version, actor name or one-line option value accepted on input. */
    public static final int MAX_FIELD = 512;

    private Printable() {}

    /**
     * True for a code point that must never reach a terminal or a log raw: C0 and C1 controls and DEL, format
     * characters (bidi embeddings, overrides and isolates, zero-width space/joiners, BOM, soft hyphen), line and
     * paragraph separators, lone surrogates, and the Hangul fillers that render as nothing.
     */
    public static boolean unsafe(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE -> {
                return true;
            }
            default -> {
                // U+115F, U+1160, U+3164, U+FFA0: Hangul fillers render as nothing
                return cp == 0x115F || cp == 0x1160 || cp == 0x3164 || cp == 0xFFA0;
            }
        }
    }

    /** One line: every unsafe character, newlines and tabs included, becomes a visible escape. */
    public static String escape(String s) {
        return escape(s, false);
    }

    /**
     * Text of several lines that this program composed (a message with a list of problems): newlines and tabs are
     * kept, every other unsafe character is escaped. Fields inside such text must already have gone through
     * {@link #escape(String)}, or a newline in a value could forge a line.
     */
    public static String lines(String s) {
        return escape(s, true);
    }

    private static String escape(String s, boolean keepLines) {
        if (s == null) return null;
        if (isClean(s, keepLines)) return s;
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            if (keepLines && (cp == '\n' || cp == '\t')) sb.append((char) cp);
            else if (!unsafe(cp)) sb.appendCodePoint(cp);
            else sb.append(visible(cp));
            i += n;
        }
        return sb.toString();
    }

    private static boolean isClean(String s, boolean keepLines) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (unsafe(cp) && !(keepLines && (cp == '\n' || cp == '\t'))) return false;
            i += Character.charCount(cp);
        }
        return true;
    }

    /** How an unsafe code point is shown. */
    static String visible(int cp) {
        return switch (cp) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> cp > 0xFFFF ? String.format(Locale.ROOT, "\\U%08x", cp) : String.format(Locale.ROOT, "\\u%04x", cp);
        };
    }

    /** True when {@link #escape(String)} would leave {@code s} unchanged: one line of printable characters. */
    public static boolean isPrintable(String s) {
        return s != null && isClean(s, false);
    }

    /**
     * Why {@code value} is not acceptable as a one-line field (a version, an actor name, an option), or empty when it
     * is. The message never repeats the value raw.
     */
    public static Optional<String> problem(String value, int maxLength) {
        if (value == null || value.isBlank()) return Optional.of("must not be empty");
        if (value.length() > maxLength) return Optional.of("must be at most " + maxLength + " characters, not " + value.length());
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (unsafe(cp)) {
                return Optional.of("must be one line of printable characters, but has " + visible(cp) + " at position " + (i + 1)
                        + " (control, bidi and zero-width characters are refused)");
            }
            i += Character.charCount(cp);
        }
        return Optional.empty();
    }

    /**
     * Jackson escapes for JSON meant to be shown (the CLI's {@code --output json}, CI outputs): besides the control
     * characters JSON always escapes, DEL, C1 controls, bidi, zero-width and the other unsafe characters are written as
     * {@code \\uXXXX}. The JSON value is unchanged; only its text is safe to print.
     */
    public static CharacterEscapes jsonEscapes() {
        return new UnsafeJsonEscapes();
    }

    /** Built on first use: text output never needs it, and a short command's start-up counts (issue 18). */
    private static final class DisplayJson {
        static final ObjectMapper MAPPER = new ObjectMapper();

        static {
            MAPPER.getFactory().setCharacterEscapes(jsonEscapes());
        }
    }

    /**
     * A JSON document to print: secrets in its strings masked ({@link Redact#tree}, in place) and every unsafe
     * character escaped, so the JSON means the same minus the secrets and its text is safe to show as it is.
     */
    public static String json(JsonNode node) {
        try {
            return DisplayJson.MAPPER.writeValueAsString(Redact.tree(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class UnsafeJsonEscapes extends CharacterEscapes {
        private final int[] ascii = standardAsciiEscapesForJSON();

        UnsafeJsonEscapes() {
            ascii[0x7F] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch >= 0x80 && !Character.isSurrogate((char) ch) && unsafe(ch)) {
                return new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }
}
