package io.stagedrollout.kubernetes;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference with a {@code {{version}}} placeholder, e.g. {@code registry.example.com/checkout:{{version}}}.
 * The version is checked against the characters an image tag (or digest) may hold before it is put in, so a version
 * string can never turn into a different reference.
 */
public record ImageTemplate(String template) {
    public static final String PLACEHOLDER = "{{version}}";
    private static final Pattern ANY_PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}]*?)\\s*}}");
    private static final Pattern REFERENCE_CHARS = Pattern.compile("[A-Za-z0-9._/:@{}-]+");
    /** A tag: up to 128 of [A-Za-z0-9_.-], not starting with '.' or '-'; or a digest's hex part. */
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    /** Why {@code template} is unusable, or empty when it is fine. */
    public static Optional<String> problem(String template) {
        if (template.isBlank()) return Optional.of("must not be empty");
        if (!REFERENCE_CHARS.matcher(template).matches()) {
            return Optional.of("must be an image reference such as registry.example.com/app:" + PLACEHOLDER
                    + " (letters, digits and . _ / : @ - only), not '" + template + "'");
        }
        Matcher m = ANY_PLACEHOLDER.matcher(template);
        boolean hasVersion = false;
        while (m.find()) {
            if (!m.group(1).equals("version")) {
                return Optional.of("has an unknown placeholder '" + m.group() + "'; only " + PLACEHOLDER + " is filled in");
            }
            hasVersion = true;
        }
        if (!hasVersion) {
            return Optional.of("must contain " + PLACEHOLDER + " where the rollout's version goes, e.g. registry.example.com/app:"
                    + PLACEHOLDER);
        }
        return Optional.empty();
    }

    /** The image for {@code version}; throws {@link IllegalArgumentException} for a version no tag can hold. */
    public String render(String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version '" + version + "' cannot be an image tag "
                    + "(up to 128 letters, digits, '_', '.', '-', not starting with '.' or '-')");
        }
        return ANY_PLACEHOLDER.matcher(template).replaceAll(Matcher.quoteReplacement(version));
    }
}
