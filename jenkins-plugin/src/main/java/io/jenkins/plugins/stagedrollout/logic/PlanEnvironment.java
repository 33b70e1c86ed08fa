package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.action.ActionEnvironment;
import io.stagedrollout.core.engine.RolloutEngine;
import io.stagedrollout.core.gate.GateEnvironment;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a plan's gates, actions and notifications get on the Jenkins controller. Their environment is exactly the
 * values bound for the call ({@link Caller#bindings}): the global configuration's metrics URL and the credentials
 * resolved for the build. The controller's own environment never reaches a plan, so {@code tokenEnv: PATH} or
 * {@code urlEnv: JAVA_HOME} finds nothing, and a plan cannot send the controller's secrets anywhere.
 */
public final class PlanEnvironment {
    private final Path workDir;
    private final HttpClient http;
    private final Clock clock;

    /** @param workDir where (administrator-allowed) command gates and actions run; not the store's directory */
    public PlanEnvironment(Path workDir, HttpClient http, Clock clock) {
        this.workDir = workDir;
        this.http = http;
        this.clock = clock;
    }

    public RolloutEngine.Runtime runtime(Map<String, String> bindings) {
        Map<String, String> env = Map.copyOf(bindings);
        return new RolloutEngine.Runtime(new GateEnvironment(env, workDir, http, clock), new ActionEnvironment(env, workDir, http));
    }
}
