package io.stagedrollout.core.store;

/**
 * A rollout's key, {@code service/environment}. Both parts are lowercase letters, digits, '.', '_' and '-', start
 * with a letter or digit and are at most 63 characters, so a key can never address a path outside a state
 * directory ({@code ..}, '/', NUL and absolute paths are impossible by construction).
 */
public record RolloutKey(String service, String environment) {

    public RolloutKey {
        check("service", service);
        check("environment", environment);
    }

    public static boolean validPart(String s) {
        // [a-z0-9][a-z0-9._-]{0,62} without a regex: listing a store checks every directory name
        if (s == null || s.isEmpty() || s.length() > 63) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
            if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-'))) return false;
        }
        return true;
    }

    private static void check(String what, String s) {
        if (!validPart(s)) {
            throw new IllegalArgumentException("the " + what + " '" + printable(s)
                    + "' is not valid: use 1 to 63 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    /** Parses {@code service/environment}; the message names what is wrong. */
    public static RolloutKey parse(String key) {
        if (key == null || key.isEmpty()) throw new IllegalArgumentException("the rollout key is empty; write service/environment");
        int slash = key.indexOf('/');
        if (slash < 0 || key.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("the rollout key '" + printable(key) + "' must be service/environment");
        }
        return new RolloutKey(key.substring(0, slash), key.substring(slash + 1));
    }

    static String printable(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> {
            if (c < 0x20 || c == 0x7f) sb.append(String.format("\\u%04x", c));
            else sb.appendCodePoint(c);
        });
        return sb.toString();
    }

    @Override
    public String toString() {
        return service + "/" + environment;
    }
}
