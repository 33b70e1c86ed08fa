package io.stagedrollout.core.plan;

/** One thing wrong with a plan (or a flag): where it is and what is wrong. {@code line} is 0 when unknown. */
public record Problem(String path, int line, String message) {
    @Override
    public String toString() {
        return (line > 0 ? "line " + line + ": " : "") + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
