package io.stagedrollout.cli.ci;

import io.stagedrollout.core.machine.Actor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GitLab CI: a job has {@code GITLAB_CI=true} and the predefined {@code CI_*} and {@code GITLAB_USER_*} variables.
 * gitlab-ci-local sets {@code GITLAB_CI=false} to mark a local run but the same job variables; that is a GitLab job
 * too, so any {@code GITLAB_CI} with a pipeline or job id counts.
 * The actor is the user who started the pipeline or played the manual job ({@code GITLAB_USER_LOGIN}), the URL
 * is the job's; the pipeline, job and commit go to {@link #origin}.
 */
public final class GitLabHost implements CiHost {
    /** The predefined variables recorded as the origin; an allow-list, so no token can slip in. */
    private static final List<String> ORIGIN_VARIABLES = List.of(
            "CI_PROJECT_PATH", "CI_PIPELINE_ID", "CI_PIPELINE_URL", "CI_PIPELINE_SOURCE", "CI_JOB_ID", "CI_JOB_NAME",
            "CI_JOB_URL", "CI_COMMIT_SHA", "CI_COMMIT_REF_NAME", "CI_ENVIRONMENT_NAME", "CI_SERVER_FQDN");

    @Override
    public String name() {
        return "gitlab";
    }

    @Override
    public boolean detects(Map<String, String> env) {
        String gitlabCi = env.getOrDefault("GITLAB_CI", "").trim();
        if (gitlabCi.equalsIgnoreCase("true")) return true;
        return !gitlabCi.isEmpty() && (present(env, "CI_JOB_ID") != null || present(env, "CI_PIPELINE_ID") != null);
    }

    @Override
    public Actor actor(Map<String, String> env) {
        String user = firstPresent(env, "GITLAB_USER_LOGIN", "GITLAB_USER_NAME");
        String name = user == null ? "gitlab" : user;
        String pipeline = present(env, "CI_PIPELINE_ID");
        String job = present(env, "CI_JOB_NAME");
        if (pipeline != null || job != null) {
            // The journal's Actor has no pipeline field; naming it here keeps "who, from which pipeline" in one line.
            name = name + " (" + (pipeline == null ? "" : "pipeline " + pipeline)
                    + (pipeline != null && job != null ? ", " : "") + (job == null ? "" : "job " + job) + ")";
        }
        return new Actor(name, name(), firstPresent(env, "CI_JOB_URL", "CI_PIPELINE_URL"));
    }

    @Override
    public Map<String, String> origin(Map<String, String> env) {
        Map<String, String> origin = new LinkedHashMap<>();
        for (String variable : ORIGIN_VARIABLES) {
            String value = present(env, variable);
            if (value != null) origin.put(variable, value);
        }
        return origin;
    }

    private static String firstPresent(Map<String, String> env, String... names) {
        for (String n : names) {
            String v = present(env, n);
            if (v != null) return v;
        }
        return null;
    }

    private static String present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
