package io.stagedrollout.core.action;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What actions may use from the world. {@code env} is the host's environment, where tokens are looked up by the
 * name a plan gives ({@code tokenEnv}); it is never handed to a program as a whole: see {@link #forCommand}.
 * {@code workDir} is where commands run.
 */
public record ActionEnvironment(Map<String, String> env, Path workDir, HttpClient http) {
    /**
     * The host variables every command action gets: what a program needs to start and behave (its search path,
     * home, user, locale, time zone, temporary directory), nothing that authenticates.
     */
    public static final Set<String> BASE = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "TEMP", "TMP", "TERM", "SYSTEMROOT", "COMSPEC", "PATHEXT", "WINDIR");

    public static ActionEnvironment system(Path workDir) {
        return new ActionEnvironment(System.getenv(), workDir,
                io.stagedrollout.core.net.LazyHttpClient.withConnectTimeout(java.time.Duration.ofSeconds(5)));
    }

    /**
     * The whole environment of a deploy or revert program: the host's {@link #BASE} and {@code LC_*} variables, the
     * host variables the plan passes by name ({@code passEnv}), the plan's own values ({@code env}), then the
     * rollout's {@code ROLLOUT_*} values. Nothing else of the host reaches it — not the metrics token, the store's
     * credentials, a CI job token or the secrets a CI step was given — so a deploy script sees only what the plan
     * gave it explicitly. Host {@code ROLLOUT_*} variables are the rollout's own and never passed.
     */
    public Map<String, String> forCommand(Collection<String> passEnv, Map<String, String> planValues,
            Map<String, String> rolloutVariables) {
        Map<String, String> child = new LinkedHashMap<>();
        env.forEach((name, value) -> {
            if (BASE.contains(name) || name.startsWith("LC_")) child.put(name, value);
        });
        for (String name : passEnv) {
            String value = env.get(name);
            if (value != null && !name.startsWith("ROLLOUT_")) child.put(name, value);
        }
        child.putAll(planValues);
        child.putAll(rolloutVariables);
        return child;
    }
}
