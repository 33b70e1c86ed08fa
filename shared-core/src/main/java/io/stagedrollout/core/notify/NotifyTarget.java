package io.stagedrollout.core.notify;

import java.time.Duration;
import java.util.Set;

/**
 * Where to tell people about a rollout. {@code kind} is {@code webhook} (a JSON document describing the event) or
 * {@code slack} (the {@code {"text": …}} incoming-webhook payload that Slack, Mattermost, Rocket.Chat and Teams
 * workflows accept). The URL is read from the environment variable {@code urlEnv} when it carries a token, so that
 * it is never stored in the plan, the state or the journal; {@code url} is for endpoints without secrets.
 *
 * @param on      the notification events to send (see {@link Notification}); all of them by default
 * @param retries extra attempts after a failed delivery, waiting {@code backoff}, then twice that, and so on
 */
public record NotifyTarget(String name, String kind, String url, String urlEnv, Set<String> on, int retries,
        Duration backoff, Duration timeout) {
    public static final String WEBHOOK = "webhook";
    public static final String SLACK = "slack";

    public NotifyTarget {
        on = Set.copyOf(on);
    }

    public boolean wants(String event) {
        return on.contains(event);
    }
}
