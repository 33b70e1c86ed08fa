package io.stagedrollout.core.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for secrets in URLs, and the redactor behind it.
 * <ul>
 *   <li>{@link #secretIn(String)} is the validation rule, applied to every URL a plan or a command line gives (gates,
 *       judge and sequential sources, webhook actions, notify targets, store locations): credentials before {@code @}
 *       ({@code https://user:pw@host}), a query or JDBC parameter whose name looks secret ({@code ?access_token=…},
 *       {@code ;password=…}), or the address of a webhook whose path is the secret (Slack, Discord) are refused, with
 *       the hint to name an environment variable instead.</li>
 *   <li>{@link #url(String)} and {@link #text(String)} are the second line of defence at every output boundary
 *       (errors, the journal, {@code history}, reports): what such a URL carries is replaced by {@code ***}.</li>
 * </ul>
 */
public final class Redact {
    /** What replaces a secret. */
    public static final String MASK = "***";

    /** Parameter names (lower case, without '-' and '_') that are secrets whatever else they say. */
    private static final Set<String> SECRET_NAMES = Set.of("sig", "key", "pass", "pw", "pwd", "auth", "jwt", "appkey",
            "clientkey", "licensekey", "hmackey", "masterkey", "subscriptionkey", "xamzcredential", "xgoogcredential");
    /** Parts of parameter names that make them secrets. */
    private static final String[] SECRET_PARTS = {"token", "secret", "passw", "passwd", "credential", "signature", "apikey",
            "privatekey", "accesskey", "session", "bearer", "cookie"};
    /** Hosts whose webhook URLs carry their secret in the path. */
    private static final Pattern SECRET_PATH_HOSTS = Pattern.compile(
            "(?i)(hooks\\.slack\\.com|discord(app)?\\.com/api/webhooks|[a-z0-9.-]*webhook\\.office\\.com|outlook\\.office\\.com/webhook)");

    /** scheme://[userinfo@]rest — userinfo ends at the last '@' before the path. */
    private static final Pattern URL = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*:(?:[a-z][a-z0-9+.-]*:)?//)([^\\s\"'<>`]*)");
    /** name=value after ? & or ; (query strings, JDBC properties), also outside a URL ("… db/x;password=…"). */
    private static final Pattern PARAM = Pattern.compile("([?&;])([^=&;?#\\s\"'<>]{1,100})=([^&;#\\s\"'<>]*)");
    /** An Authorization header's credentials echoed in text: "Bearer abc.123", not "Basic authentication". */
    private static final Pattern BEARER = Pattern.compile(
            "\\b(Bearer|bearer|Basic)\\s+(?=[A-Za-z0-9._~+/=-]*[0-9._~+/=-])[A-Za-z0-9._~+/=-]{8,}");

    private Redact() {}

    /** True for a query or property name whose value is a secret ({@code access_token}, {@code password}, {@code X-Amz-Signature}). */
    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "").replace(".", "");
        if (SECRET_NAMES.contains(n)) return true;
        for (String part : SECRET_PARTS) if (n.contains(part)) return true;
        return false;
    }

    /**
     * What in {@code url} is a secret, described without repeating it ("credentials before '@'", "the query
     * parameter 'access_token'"), or empty when it carries none.
     */
    public static Optional<String> secretIn(String url) {
        if (url == null) return Optional.empty();
        Matcher m = URL.matcher(url);
        if (m.find()) {
            String rest = m.group(2);
            int end = authorityEnd(rest);
            if (rest.lastIndexOf('@', end - 1) >= 0) return Optional.of("credentials before '@' (user:password@host)");
        }
        if (SECRET_PATH_HOSTS.matcher(url).find()) return Optional.of("a webhook address whose path is its secret");
        Matcher p = PARAM.matcher(url);
        while (p.find()) {
            if (isSecretName(p.group(2))) {
                return Optional.of((p.group(1).equals(";") ? "the parameter '" : "the query parameter '")
                        + Printable.escape(p.group(2)) + "'");
            }
        }
        return Optional.empty();
    }

    /** The message for a refused URL: what is wrong and what to do instead. {@code field} names the setting. */
    public static String refusal(String field, String what, String instead) {
        return field + " must not carry a secret, but has " + what + ": " + instead;
    }

    /** {@code url} with its credentials and secret parameter values replaced by {@value #MASK}; otherwise unchanged. */
    public static String url(String url) {
        return text(url);
    }

    /**
     * {@code s} with every secret a URL inside it carries masked: userinfo, secret-looking query and JDBC parameters
     * (also after a location without a scheme), webhook paths that are secrets, and bearer tokens.
     */
    public static String text(String s) {
        if (s == null || s.isEmpty()) return s;
        String out = s;
        if (out.indexOf("://") >= 0) {
            Matcher m = URL.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String rest = m.group(2);
                int end = authorityEnd(rest);
                int at = rest.lastIndexOf('@', end - 1);
                String cleaned = at >= 0 ? MASK + "@" + rest.substring(at + 1) : rest;
                if (SECRET_PATH_HOSTS.matcher(m.group(1) + cleaned).find()) cleaned = maskPath(cleaned);
                m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + cleaned));
            }
            m.appendTail(sb);
            out = sb.toString();
        }
        if (out.indexOf('=') >= 0 && (out.indexOf('?') >= 0 || out.indexOf('&') >= 0 || out.indexOf(';') >= 0)) {
            Matcher p = PARAM.matcher(out);
            StringBuilder sb = new StringBuilder();
            while (p.find()) {
                String repl = isSecretName(p.group(2)) && !p.group(3).isEmpty() && !p.group(3).equals(MASK)
                        ? p.group(1) + p.group(2) + "=" + MASK : p.group();
                p.appendReplacement(sb, Matcher.quoteReplacement(repl));
            }
            p.appendTail(sb);
            out = sb.toString();
        }
        if (out.length() >= 14 && (out.contains("earer") || out.contains("Basic")))
            out = BEARER.matcher(out).replaceAll(r -> Matcher.quoteReplacement(r.group(1) + " " + MASK));
        return out;
    }

    /** {@code node} with {@link #text} applied to every string in it (changed in place), for JSON that is printed. */
    public static JsonNode tree(JsonNode node) {
        if (node instanceof ObjectNode o) {
            var names = new java.util.ArrayList<String>();
            o.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                JsonNode v = o.get(n);
                if (v.isTextual()) {
                    String t = text(v.textValue());
                    if (!t.equals(v.textValue())) o.put(n, t);
                } else {
                    tree(v);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                JsonNode v = a.get(i);
                if (v.isTextual()) {
                    String t = text(v.textValue());
                    if (!t.equals(v.textValue())) a.set(i, TextNode.valueOf(t));
                } else {
                    tree(v);
                }
            }
        }
        return node;
    }

    /** Where the authority (host part) of "host/path?query" ends. */
    private static int authorityEnd(String rest) {
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) end = i;
        }
        return end;
    }

    /** "hooks.slack.com/services/T0/B0/XXXX" → "hooks.slack.com/***". */
    private static String maskPath(String hostAndPath) {
        int slash = hostAndPath.indexOf('/');
        return slash < 0 ? hostAndPath : hostAndPath.substring(0, slash + 1) + MASK;
    }
}
