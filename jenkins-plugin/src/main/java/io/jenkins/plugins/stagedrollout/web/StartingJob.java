package io.jenkins.plugins.stagedrollout.web;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job a rollout belongs to on the rollouts page: the one whose build started it, as the journal's STARTED event
 * names it ({@code <root>job/folder/job/deploy/42/}). Rollouts started elsewhere (the CLI on a shared store, another
 * controller) have none.
 */
final class StartingJob {
    private static final Pattern BUILD_PATH = Pattern.compile("((?:job/[^/]+/)+)\\d+/?");

    private StartingJob() {}

    /** The full name ({@code folder/deploy}) of the job whose build started {@code state}, if this controller's. */
    static Optional<String> of(RolloutState state, List<RolloutEvent> history, @CheckForNull String rootUrl) {
        for (RolloutEvent e : history) {
            if (e.type().equals("STARTED") && state.id().equals(e.rolloutId()) && e.actor() != null) {
                return fullName(e.actor().url(), rootUrl);
            }
        }
        return Optional.empty();
    }

    /** {@code job/a/job/b%20c/7/} (after the root URL, if any) as {@code a/b c}; anything else is no job. */
    static Optional<String> fullName(@CheckForNull String buildUrl, @CheckForNull String rootUrl) {
        if (buildUrl == null) return Optional.empty();
        String path = buildUrl;
        if (rootUrl != null && !rootUrl.isEmpty()) {
            if (!path.startsWith(rootUrl)) return Optional.empty(); // another controller's build
            path = path.substring(rootUrl.length());
        }
        Matcher m = BUILD_PATH.matcher(path);
        if (!m.matches()) return Optional.empty();
        List<String> names = new ArrayList<>();
        String[] parts = m.group(1).split("/");
        for (int i = 1; i < parts.length; i += 2) {
            names.add(URLDecoder.decode(parts[i].replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return Optional.of(String.join("/", names));
    }
}
