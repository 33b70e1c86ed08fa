package io.jenkins.plugins.stagedrollout.logic;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** The checks behind the global configuration form; each returns the problem in words, or empty when fine. */
public final class ConfigChecks {
    private ConfigChecks() {}

    public static Optional<String> storeLocation(String value) {
        return StoreLocation.problem(value);
    }

    public static Optional<String> metricsUrl(String value) {
        String v = trimToNull(value);
        if (v == null) return Optional.empty();
        try {
            URI u = new URI(v);
            if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                return Optional.of("the metric backend URL must start with http:// or https://");
            }
            if (u.getHost() == null) return Optional.of("the metric backend URL has no host");
            if (u.getUserInfo() != null) {
                return Optional.of("do not put a user or password in the URL; use a Credentials id for the token");
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of("not a URL: " + e.getReason());
        }
    }

    public static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
