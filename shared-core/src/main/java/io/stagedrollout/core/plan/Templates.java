package io.stagedrollout.core.plan;

import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{version}}}-style placeholders in URLs, queries and request bodies. Each value passes through an
 * escaper chosen for where it lands (URL encoding, PromQL string escaping), so a version string cannot change the
 * meaning of what it is inserted into. Placeholders: version, stableVersion, ring, ringIndex, percent, service,
 * environment, rolloutId, targets.
 */
public final class Templates {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z]+)\\s*}}");
    private static final Map<String, String> NAMES = Map.of(
            "version", "ROLLOUT_VERSION", "stableVersion", "ROLLOUT_STABLE_VERSION", "ring", "ROLLOUT_RING",
            "ringIndex", "ROLLOUT_RING_INDEX", "percent", "ROLLOUT_PERCENT", "service", "ROLLOUT_SERVICE",
            "environment", "ROLLOUT_ENVIRONMENT", "rolloutId", "ROLLOUT_ID", "targets", "ROLLOUT_TARGETS");

    private Templates() {}

    public static String render(String template, Map<String, String> variables, UnaryOperator<String> escape) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String var = NAMES.get(m.group(1));
            String value = var == null ? m.group() : escape.apply(variables.getOrDefault(var, ""));
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** Reports placeholders that name no rollout value. */
    public static void check(SpecReader r, String field, String template) {
        if (template == null) return;
        Matcher m = PLACEHOLDER.matcher(template);
        while (m.find()) {
            if (!NAMES.containsKey(m.group(1))) {
                r.problem(field, "unknown placeholder {{" + m.group(1) + "}}; use one of " + new java.util.TreeSet<>(NAMES.keySet()));
            }
        }
    }

    public static String urlEncode(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
