package io.stagedrollout.cli;

import io.stagedrollout.core.machine.Actor;
import java.util.Map;

/**
 * Who is acting, for the journal (README "Who did it"): a GitLab, GitHub or Jenkins job (from its CI variables, with
 * the job's URL) or a person at a terminal. {@code ROLLOUT_ACTOR} overrides the name everywhere. A terminal's user
 * comes from {@code USER}, else {@code LOGNAME}, else {@code USERNAME}; containers often set none of them, so then
 * the operating system's account (and {@code HOSTNAME}, the container's id) stands in, and {@link #note} says so.
 */
final class Actors {
    private Actors() {}

    /** The environment variables an actor's name may come from; the one that supplies it is validated (Base.actor). */
    static final java.util.List<String> NAME_VARIABLES = java.util.List.of("ROLLOUT_ACTOR", "GITHUB_ACTOR", "GITLAB_USER_LOGIN",
            "GITLAB_USER_NAME", "BUILD_USER_ID", "USER", "LOGNAME", "USERNAME", "HOSTNAME");

    /** The actor, and a note for the person when the name is a guess (null when it is not). */
    record Identified(Actor actor, String note) {}

    static Actor fromEnvironment(Map<String, String> env) {
        return identify(env, System.getProperty("user.name")).actor();
    }

    static Identified identify(Map<String, String> env, String osAccount) {
        String override = present(env, "ROLLOUT_ACTOR");
        var host = io.stagedrollout.cli.ci.CiHosts.detect(env);
        if (host.isPresent()) {
            Actor a = host.get().actor(env); // records the pipeline and job as well as the user
            return new Identified(override == null ? a : new Actor(cut(override), a.via(), a.url()), null);
        }
        if ("true".equals(env.get("GITHUB_ACTIONS"))) {
            String url = env.get("GITHUB_SERVER_URL") != null && env.get("GITHUB_REPOSITORY") != null && env.get("GITHUB_RUN_ID") != null
                    ? env.get("GITHUB_SERVER_URL") + "/" + env.get("GITHUB_REPOSITORY") + "/actions/runs/" + env.get("GITHUB_RUN_ID")
                    : null;
            return new Identified(new Actor(first(override, env.get("GITHUB_ACTOR"), "github"), "github", url), null);
        }
        if (present(env, "JENKINS_URL") != null && present(env, "BUILD_URL") != null) {
            // a `sh 'rollout …'` step: the user who started the build when the build-user-vars plugin names them
            String name = first(override, env.get("BUILD_USER_ID"), "jenkins" + (present(env, "BUILD_TAG") == null ? "" : " (" + env.get("BUILD_TAG") + ")"));
            return new Identified(new Actor(name, "jenkins", present(env, "BUILD_URL")), null);
        }
        String user = override != null ? override : first(env.get("USER"), env.get("LOGNAME"), env.get("USERNAME"), null);
        if (user != null) return new Identified(new Actor(cut(user), "cli", null), null);
        // a container: no login variables. The OS account (uid's passwd entry; Java says "?" without one) and the
        // host name (a container's id) are the best there is; say so, once, so that a person can name themselves.
        String account = osAccount == null || osAccount.isBlank() || osAccount.equals("?") ? null : osAccount.trim();
        String hostName = present(env, "HOSTNAME");
        String name = (account == null ? "unknown" : account) + (hostName == null ? "" : "@" + hostName);
        return new Identified(new Actor(cut(name), "cli", null), "acting as '" + cut(name) + "' in the journal (USER and LOGNAME "
                + "are not set; this is the " + (account == null ? "best guess" : "operating system's account")
                + (hostName == null ? "" : " on host " + hostName) + "); set ROLLOUT_ACTOR to your name");
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) return cut(v.trim());
        }
        return null;
    }

    private static String present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String cut(String v) {
        return v.length() > 100 ? v.substring(0, 100) : v;
    }
}
