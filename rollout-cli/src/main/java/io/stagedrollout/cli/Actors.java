package io.stagedrollout.cli;

import io.stagedrollout.core.machine.Actor;
import java.util.Map;

/**
 * Who is acting, for the journal: a GitLab or GitHub job (from its CI variables, with the job's URL) or a person
 * at a terminal. {@code ROLLOUT_ACTOR} overrides the name.
 */
final class Actors {
    private Actors() {}

    /** The environment variables an actor's name may come from; the one that supplies it is validated (Base.actor). */
    static final java.util.List<String> NAME_VARIABLES = java.util.List.of("ROLLOUT_ACTOR", "GITHUB_ACTOR", "GITLAB_USER_LOGIN",
            "GITLAB_USER_NAME", "BUILD_USER_ID", "USER");

    static Actor fromEnvironment(Map<String, String> env) {
        String override = env.get("ROLLOUT_ACTOR");
        var host = io.stagedrollout.cli.ci.CiHosts.detect(env);
        if (host.isPresent()) {
            Actor a = host.get().actor(env); // records the pipeline and job as well as the user
            return override == null || override.isBlank() ? a : new Actor(first(override), a.via(), a.url());
        }
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            String url = env.get("GITHUB_SERVER_URL") != null && env.get("GITHUB_REPOSITORY") != null && env.get("GITHUB_RUN_ID") != null
                    ? env.get("GITHUB_SERVER_URL") + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID")
                    : null;
            return new Actor(first(override, env.get("GITHUB_ACTOR"), "github"), "github", url);
        }
        return new Actor(first(override, env.get("USER"), "cli"), "cli", null);
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return v.length() > 100 ? v.substring(0, 100) : v;
        }
        return "unknown";
    }
}
