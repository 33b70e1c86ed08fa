package io.stagedrollout.core.notify;

import com.fasterxml.jackson.databind.JsonNode;
import io.stagedrollout.core.plan.SpecReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code notify:} from a plan:
 *
 * <pre>
 * notify:
 *   team-chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL, on: [awaiting-approval, gate-failed, rolled-back]}
 *   incidents: {kind: webhook, urlEnv: INCIDENT_WEBHOOK_URL, retries: 5, backoff: 2s}
 * </pre>
 */
public final class NotifyReader {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private NotifyReader() {}

    public static Map<String, NotifyTarget> read(SpecReader parent) {
        Map<String, NotifyTarget> out = new LinkedHashMap<>();
        JsonNode node = parent.raw("notify");
        if (node == null) return out;
        if (!node.isObject()) {
            parent.problem("notify", "must be a mapping of target names to targets, e.g. team-chat: {kind: slack, urlEnv: SLACK_WEBHOOK_URL}");
            return out;
        }
        SpecReader section = parent.object("notify");
        node.fieldNames().forEachRemaining(name -> {
            SpecReader t = section.object(name);
            if (!NAME.matcher(name).matches()) t.problem("", "target name '" + name + "' must be letters, digits, '.', '_' or '-'");
            NotifyTarget target = target(name, t);
            t.finish();
            if (target != null) out.put(name, target);
        });
        return out;
    }

    private static NotifyTarget target(String name, SpecReader t) {
        String kind = t.choice("kind", null, NotifyTarget.WEBHOOK, NotifyTarget.SLACK);
        if (kind == null && !t.has("kind")) t.problem("kind", "is required: webhook or slack");
        String url = t.string("url").orElse(null);
        String urlEnv = t.string("urlEnv").orElse(null);
        if ((url == null) == (urlEnv == null)) {
            t.problem("urlEnv", "give urlEnv (the environment variable holding the URL, for URLs with tokens) or url, exactly one");
        }
        if (urlEnv != null && !ENV_NAME.matcher(urlEnv).matches()) {
            t.problem("urlEnv", "must be an environment variable name such as SLACK_WEBHOOK_URL");
        }
        if (url != null) {
            io.stagedrollout.core.plan.UrlRule.check(t, "url", url, "put the URL in an environment variable and name it with urlEnv");
        }
        Set<String> on = new LinkedHashSet<>();
        List<String> events = t.has("on") ? t.stringList("on") : List.copyOf(Notification.EVENTS);
        for (int i = 0; i < events.size(); i++) {
            if (!Notification.EVENTS.contains(events.get(i))) {
                t.problem("on[" + i + "]", "unknown event '" + events.get(i) + "'; use " + String.join(", ", Notification.EVENTS));
            } else {
                on.add(events.get(i));
            }
        }
        int retries = t.integer("retries", 3, 0, 20);
        Duration backoff = t.duration("backoff", Duration.ofSeconds(1));
        Duration timeout = t.duration("timeout", Duration.ofSeconds(5));
        if (timeout.isZero() || timeout.isNegative()) t.problem("timeout", "must be more than 0s");
        if (kind == null) return null;
        return new NotifyTarget(name, kind, url, urlEnv, on, retries, backoff, timeout);
    }
}
