package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;

/**
 * The {@code ROLLOUT_*} variables of a ring (or of a revert) on top of the environment the step's body inherits.
 * Values reach {@code sh} as environment variables, never pasted into a script.
 */
final class RolloutEnvironment extends EnvironmentExpander {
    private static final long serialVersionUID = 1L;

    private final EnvironmentExpander outer;
    private final TreeMap<String, String> variables;

    RolloutEnvironment(@CheckForNull EnvironmentExpander outer, Map<String, String> variables) {
        this.outer = outer;
        this.variables = new TreeMap<>(variables);
    }

    @Override
    public void expand(@NonNull EnvVars env) throws IOException, InterruptedException {
        if (outer != null) outer.expand(env);
        env.putAll(variables);
    }

    @Override
    public @NonNull Set<String> getSensitiveVariables() {
        return outer == null ? Set.of() : outer.getSensitiveVariables();
    }

    Map<String, String> variables() {
        return variables;
    }
}
