package io.stagedrollout.cli.ci;

import io.stagedrollout.core.machine.Actor;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CI hosts the JAR knows, and the actor to record for a command run in one of them. */
public final class CiHosts {
    private static final List<CiHost> KNOWN = List.of(new GitLabHost());

    private CiHosts() {}

    /** The host whose job this environment is, if any. */
    public static Optional<CiHost> detect(Map<String, String> env) {
        return KNOWN.stream().filter(h -> h.detects(env)).findFirst();
    }

    /** The CI actor when running in a known host, else {@code fallback} (e.g. the local user via {@code cli}). */
    public static Actor actor(Map<String, String> env, Actor fallback) {
        return detect(env).map(h -> h.actor(env)).orElse(fallback);
    }
}
