package io.stagedrollout.core.plan;

import io.stagedrollout.core.text.Redact;

/**
 * The rule every URL in a plan follows (http gates, metrics endpoints, Prometheus addresses, judge and sequential
 * sources, webhook actions, notify targets): an http:// or https:// URL of sensible length that carries no secret.
 * A plan is stored in the state, the journal and reports, and travels through CI logs, so credentials in it would
 * leak; they come from environment variables named by the plan instead. Messages never repeat the URL.
 */
public final class UrlRule {
    /** The longest URL accepted. */
    public static final int MAX_LENGTH = 4096;
    /** The usual advice: a token from the environment. */
    public static final String USE_TOKEN_ENV = "send credentials with tokenEnv, the name of an environment variable holding the token";

    private UrlRule() {}

    /**
     * Checks {@code url} (a template, placeholders allowed) given in {@code field}; {@code instead} says where the
     * secret belongs. Returns true when the URL is acceptable.
     */
    public static boolean check(SpecReader r, String field, String url, String instead) {
        if (url == null) return false;
        if (url.length() > MAX_LENGTH) {
            r.problem(field, "is longer than " + MAX_LENGTH + " characters");
            return false;
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            r.problem(field, "must start with http:// or https://");
            return false;
        }
        var secret = Redact.secretIn(url);
        if (secret.isPresent()) {
            r.problem(field, "must not carry a secret, but has " + secret.get() + ": " + instead);
            return false;
        }
        return true;
    }
}
