package io.stagedrollout.core.policy;

import java.time.Instant;

/**
 * No ring may be deployed from {@code from} (inclusive) to {@code to} (exclusive) because of {@code reason}. A null
 * {@code to} is a freeze whose end is not known here — GitLab's {@code CI_DEPLOY_FREEZE} says only that one is on.
 */
public record Freeze(Instant from, Instant to, String reason) {
    /** GitLab sets {@code CI_DEPLOY_FREEZE=true} inside a deploy freeze period configured on the project. */
    public static final String GITLAB_VARIABLE = "CI_DEPLOY_FREEZE";

    public boolean contains(Instant t) {
        return (from == null || !t.isBefore(from)) && (to == null || t.isBefore(to));
    }

    /** The freeze GitLab announces through {@code CI_DEPLOY_FREEZE}, if the variable says one is on. */
    public static java.util.Optional<Freeze> fromGitLab(java.util.Map<String, String> env) {
        String v = env.get(GITLAB_VARIABLE);
        if (v == null || v.isBlank() || v.equalsIgnoreCase("false") || v.equals("0")) return java.util.Optional.empty();
        return java.util.Optional.of(new Freeze(null, null, "GitLab deploy freeze period (" + GITLAB_VARIABLE + ")"));
    }

    public String describe() {
        return reason + (from == null && to == null ? "" : " (" + (from == null ? "" : from) + " to " + (to == null ? "an unknown end" : to) + ")");
    }
}
