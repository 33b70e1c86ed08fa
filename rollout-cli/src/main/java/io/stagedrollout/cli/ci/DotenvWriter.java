package io.stagedrollout.cli.ci;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a GitLab {@code artifacts:reports:dotenv} file: {@code KEY=value} lines, keys of letters, digits and
 * {@code _}, no comments, no blank lines, at most 5 KB (GitLab rejects the whole report otherwise). Values that
 * GitLab's and gitlab-ci-local's parsers would read differently (newlines, quotes, {@code #}) are left out with a
 * warning rather than written wrong.
 */
public final class DotenvWriter {
    /** GitLab's limit for a dotenv report. */
    public static final int MAX_BYTES = 5 * 1024;

    private static final Pattern KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Written bare: no quoting rules of any dotenv dialect apply to these characters. */
    private static final Pattern BARE = Pattern.compile("[A-Za-z0-9._:/@+%,=-]*");
    /** Written inside double quotes: spaces and the like, but nothing a parser could treat as an escape or end. */
    private static final Pattern QUOTABLE = Pattern.compile("[^\"'\\\\\\r\\n#`$]*");

    private DotenvWriter() {}

    /** The variables later jobs read: ROLLOUT_ID, ROLLOUT_STATUS, ROLLOUT_RING, ROLLOUT_STABLE_VERSION and more. */
    public static Map<String, String> variables(CliResult result) {
        Map<String, String> vars = new LinkedHashMap<>();
        CliResult.Rollout r = result.rollout();
        vars.put("ROLLOUT_RESULT", nullToEmpty(result.result()));
        vars.put("ROLLOUT_EXIT_CODE", Integer.toString(result.exitCode()));
        vars.put("ROLLOUT_ID", r == null ? "" : nullToEmpty(r.id()));
        vars.put("ROLLOUT_KEY", r == null ? "" : nullToEmpty(r.key()));
        vars.put("ROLLOUT_STATUS", r == null ? "" : nullToEmpty(r.status()));
        vars.put("ROLLOUT_RING", r == null ? "" : nullToEmpty(r.ring()));
        vars.put("ROLLOUT_RING_INDEX", r == null || r.ringIndex() == null ? "" : r.ringIndex().toString());
        vars.put("ROLLOUT_VERSION", r == null ? "" : nullToEmpty(r.version()));
        vars.put("ROLLOUT_STABLE_VERSION", r == null ? "" : nullToEmpty(r.stableVersion()));
        vars.put("ROLLOUT_LAST_GOOD_VERSION", r == null ? "" : nullToEmpty(r.lastGoodVersion()));
        vars.put("ROLLOUT_VERDICT", r == null || r.verdict() == null ? "" : nullToEmpty(r.verdict().verdict()));
        return vars;
    }

    /**
     * Renders the file's text. Returns the lines written and the warnings for values left out.
     *
     * @throws IllegalArgumentException for a key GitLab would reject: that is a programming error, not data
     */
    public static Rendered render(Map<String, String> variables) {
        StringBuilder text = new StringBuilder();
        List<String> warnings = new ArrayList<>();
        for (Map.Entry<String, String> e : variables.entrySet()) {
            String key = e.getKey();
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("dotenv key '" + key + "' is not letters, digits and _");
            }
            String value = e.getValue() == null ? "" : e.getValue();
            String line;
            if (BARE.matcher(value).matches()) {
                line = key + "=" + value;
            } else if (QUOTABLE.matcher(value).matches()) {
                line = key + "=\"" + value + "\"";
            } else {
                warnings.add(key + " left out of the dotenv report: its value has a newline, quote, '#', '$', '`' or '\\'");
                continue;
            }
            int size = text.toString().getBytes(StandardCharsets.UTF_8).length
                    + (line + "\n").getBytes(StandardCharsets.UTF_8).length;
            if (size > MAX_BYTES) {
                warnings.add(key + " left out of the dotenv report: the file would exceed GitLab's 5 KB limit");
                continue;
            }
            text.append(line).append('\n');
        }
        return new Rendered(text.toString(), warnings);
    }

    /** Writes the file atomically (a half-written dotenv would be rejected by GitLab) and returns the warnings. */
    public static List<String> write(Path file, Map<String, String> variables) throws IOException {
        Rendered rendered = render(variables);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".dotenv", ".tmp");
        try {
            Files.writeString(tmp, rendered.text(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
        return rendered.warnings();
    }

    public record Rendered(String text, List<String> warnings) {}

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
