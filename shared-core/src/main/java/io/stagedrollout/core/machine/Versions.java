package io.stagedrollout.core.machine;

import java.text.Normalizer;
import java.util.Locale;

/**
 * When two version strings name the same release, for the retry guard and {@code --expect-version}. A version is
 * compared after trimming surrounding white space, Unicode NFKC normalisation, lower-casing, and dropping a leading
 * {@code v} before a digit: {@code 3.0}, {@code 3.0 }, {@code V3.0} and {@code ３.０} are the same release. The
 * comparison errs towards "same", because the guard it serves stops a version already judged bad from being
 * deployed again without {@code --retry}. (A version with surrounding white space is refused as invalid input when
 * a rollout is started; see {@link #problem}.)
 */
public final class Versions {
    private Versions() {}

    public static String normalise(String version) {
        if (version == null) return null;
        String v = Normalizer.normalize(version, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        if (v.length() > 1 && v.charAt(0) == 'v' && Character.isDigit(v.charAt(1))) v = v.substring(1);
        return v;
    }

    public static boolean same(String a, String b) {
        return a != null && b != null && normalise(a).equals(normalise(b));
    }

    /**
     * Why {@code version} cannot be rolled out, or null when it can: empty, surrounding white space (so that
     * {@code '3.0 '} is never a different release from {@code 3.0}), control characters, or longer than 128.
     */
    public static String problem(String version) {
        if (version == null || version.isBlank()) return "must not be empty";
        if (!version.equals(version.strip())) return "must not start or end with white space (did you mean '" + version.strip() + "'?)";
        if (version.length() > 128) return "must be at most 128 characters";
        if (version.codePoints().anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
                || Character.getType(c) == Character.LINE_SEPARATOR || Character.getType(c) == Character.PARAGRAPH_SEPARATOR)) {
            return "must not contain control or invisible formatting characters";
        }
        return null;
    }
}
