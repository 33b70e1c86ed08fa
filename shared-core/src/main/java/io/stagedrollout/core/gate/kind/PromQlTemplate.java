package io.stagedrollout.core.gate.kind;

import io.stagedrollout.core.plan.Templates;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PromQL query with {@code {{version}}}-style placeholders, filled so that a rollout value can only ever become
 * one PromQL string literal. The query is split by lexical context: inside {@code "…"} or {@code '…'} a value is
 * escaped for that quote; anywhere else (a label matcher written {@code version={{version}}}, a comment) it is
 * inserted as a complete double-quoted literal, except {@code {{percent}}} and {@code {{ringIndex}}}, which are
 * inserted as numbers (only digits and one dot ever pass). Raw {@code `…`} strings cannot escape anything, so placeholders
 * there are refused when the plan is read. A version such as {@code 1.0"} or vector(1) #} stays a string and
 * cannot change the query.
 */
final class PromQlTemplate {
    private enum Context { CODE, DOUBLE_QUOTED, SINGLE_QUOTED, RAW, COMMENT }

    private record Segment(Context context, String text) {}

    private static final Pattern NUMERIC_PLACEHOLDER = Pattern.compile("\\{\\{\\s*(percent|ringIndex)\\s*}}");
    private static final Map<String, String> NUMERIC_VARIABLES = Map.of("percent", "ROLLOUT_PERCENT", "ringIndex", "ROLLOUT_RING_INDEX");
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,15}(\\.[0-9]{1,15})?");
    private final List<Segment> segments;

    private PromQlTemplate(List<Segment> segments) {
        this.segments = segments;
    }

    static PromQlTemplate parse(String query) {
        List<Segment> out = new ArrayList<>();
        Context ctx = Context.CODE;
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < query.length(); i++) {
            char c = query.charAt(i);
            switch (ctx) {
                case CODE -> {
                    Context next = switch (c) {
                        case '"' -> Context.DOUBLE_QUOTED;
                        case '\'' -> Context.SINGLE_QUOTED;
                        case '`' -> Context.RAW;
                        case '#' -> Context.COMMENT;
                        default -> null;
                    };
                    if (next == null) {
                        cur.append(c);
                    } else {
                        // the opening quote belongs to the code around it, so only the string's inside is escaped
                        if (next != Context.COMMENT) cur.append(c);
                        flush(out, ctx, cur);
                        if (next == Context.COMMENT) cur.append(c);
                        ctx = next;
                    }
                }
                case DOUBLE_QUOTED, SINGLE_QUOTED -> {
                    char quote = ctx == Context.DOUBLE_QUOTED ? '"' : '\'';
                    if (c == '\\' && i + 1 < query.length()) {
                        cur.append(c).append(query.charAt(++i));
                    } else if (c == quote) {
                        flush(out, ctx, cur);
                        cur.append(c);
                        ctx = Context.CODE;
                    } else {
                        cur.append(c);
                    }
                }
                case RAW -> {
                    if (c == '`') {
                        flush(out, ctx, cur);
                        cur.append(c);
                        ctx = Context.CODE;
                    } else {
                        cur.append(c);
                    }
                }
                case COMMENT -> {
                    cur.append(c);
                    if (c == '\n') {
                        flush(out, ctx, cur);
                        ctx = Context.CODE;
                    }
                }
            }
        }
        flush(out, ctx, cur);
        return new PromQlTemplate(out);
    }

    private static void flush(List<Segment> out, Context ctx, StringBuilder cur) {
        if (cur.length() > 0) out.add(new Segment(ctx, cur.toString()));
        cur.setLength(0);
    }

    /** True when a placeholder sits inside a raw {@code `…`} string, where no value can be escaped. */
    boolean hasPlaceholderInRawString() {
        for (Segment s : segments) {
            if (s.context() != Context.RAW) continue;
            boolean[] seen = {false};
            Templates.render(s.text(), Map.of(), v -> {
                seen[0] = true;
                return v;
            });
            if (seen[0]) return true;
        }
        return false;
    }

    /** The query with every placeholder replaced by its value, escaped for where it stands. */
    String render(Map<String, String> variables) {
        StringBuilder sb = new StringBuilder();
        for (Segment s : segments) {
            String text = s.context() == Context.CODE ? numbers(s.text(), variables) : s.text();
            UnaryOperator<String> escape = switch (s.context()) {
                case DOUBLE_QUOTED -> v -> escape(v, '"');
                case SINGLE_QUOTED -> v -> escape(v, '\'');
                case CODE, COMMENT -> v -> '"' + escape(v, '"') + '"';
                // refused by validation; should a stored plan still carry one, insert nothing rather than raw text
                case RAW -> v -> "";
            };
            sb.append(Templates.render(text, variables, escape));
        }
        return sb.toString();
    }

    /**
     * Outside quotes, {@code {{percent}}} and {@code {{ringIndex}}} are numbers ({@code … / ({{percent}} / 100)}). A value
     * that is not a plain number becomes NaN, which the gate reports as broken data rather than guessing.
     */
    private static String numbers(String code, Map<String, String> variables) {
        Matcher m = NUMERIC_PLACEHOLDER.matcher(code);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String value = variables.getOrDefault(NUMERIC_VARIABLES.get(m.group(1)), "");
            m.appendReplacement(sb, NUMBER.matcher(value).matches() ? value : "NaN");
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /**
     * Escapes {@code value} for the inside of a PromQL string quoted with {@code quote}, using only escapes the
     * PromQL lexer accepts (Go's: {@code \\ \" \' \n \r \t \\uXXXX}).
     */
    static String escape(String value, char quote) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') sb.append("\\\\");
            else if (c == quote) sb.append('\\').append(c);
            else if (c == '\n') sb.append("\\n");
            else if (c == '\r') sb.append("\\r");
            else if (c == '\t') sb.append("\\t");
            else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') sb.append(String.format("\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }
}
