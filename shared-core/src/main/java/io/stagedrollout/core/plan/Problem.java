package io.stagedrollout.core.plan;

/** One thing wrong with a plan (or a flag): where it is and what is wrong. {@code line} is 0 when unknown. */
public record Problem(String path, int line, String message) {
    private static final int MAX_MESSAGE = 400;

    public Problem {
        // messages quote plan values: keep them one screen long and free of characters that hide or reorder text
        message = printable(message);
        path = printable(path);
    }

    /** Escapes control, bidirectional and zero-width characters as \\uXXXX and cuts very long text. */
    static String printable(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        int[] cps = s.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (sb.length() >= MAX_MESSAGE) {
                sb.append("… (").append(cps.length - i).append(" more characters)");
                break;
            }
            boolean hidden = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x200b && c <= 0x200f)
                    || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c == 0xfeff
                    || Character.getType(c) == Character.SURROGATE;
            if (hidden) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        }
        return sb.toString();
    }
    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
