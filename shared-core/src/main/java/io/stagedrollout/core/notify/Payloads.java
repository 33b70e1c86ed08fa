package io.stagedrollout.core.notify;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.store.StateJson;

/** The request bodies: a generic JSON document, or the {@code {"text": …}} that chat incoming webhooks accept. */
final class Payloads {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Payloads() {}

    static String body(String kind, Notification n) {
        return StateJson.write(NotifyTarget.SLACK.equals(kind) ? chat(n) : webhook(n));
    }

    static ObjectNode webhook(Notification n) {
        ObjectNode o = F.objectNode();
        o.put("event", n.event());
        o.put("at", n.at().toString());
        o.put("message", n.message());
        ObjectNode r = o.putObject("rollout");
        r.put("key", n.key());
        r.put("id", n.rolloutId());
        r.put("version", n.version());
        r.put("stableVersion", n.stableVersion());
        r.put("status", n.status());
        r.put("ring", n.ring());
        r.put("ringIndex", n.ringIndex());
        r.put("ringCount", n.ringCount());
        if (n.promoteCommand() != null) {
            ObjectNode c = o.putObject("commands");
            c.put("promote", n.promoteCommand());
            c.put("rollback", n.rollbackCommand());
        }
        return o;
    }

    static ObjectNode chat(Notification n) {
        StringBuilder sb = new StringBuilder();
        sb.append(icon(n.event())).append(" *").append(n.key()).append("* ").append(n.version());
        if (n.ring() != null) sb.append(" · ring ").append(n.ring()).append(" (").append(n.ringIndex() + 1).append(" of ").append(n.ringCount()).append(')');
        sb.append(" — ").append(n.event()).append("\n").append(n.message());
        if (n.promoteCommand() != null) {
            sb.append("\nPromote: `").append(n.promoteCommand()).append("`\nRoll back: `").append(n.rollbackCommand()).append('`');
        }
        ObjectNode o = F.objectNode();
        o.put("text", sb.toString());
        return o;
    }

    private static String icon(String event) {
        return switch (event) {
            case Notification.COMPLETED, Notification.RING_PASSED -> ":white_check_mark:";
            case Notification.AWAITING_APPROVAL -> ":hourglass:";
            case Notification.GATE_FAILED, Notification.FAILED -> ":x:";
            case Notification.ROLLED_BACK -> ":leftwards_arrow_with_hook:";
            default -> ":rocket:";
        };
    }
}
