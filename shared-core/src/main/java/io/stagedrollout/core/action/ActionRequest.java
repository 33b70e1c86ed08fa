package io.stagedrollout.core.action;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One call of an action. {@code variables} are the ROLLOUT_* values (DESIGN.md "The plan file"); actions pass them
 * as environment variables or JSON fields, never pasted into a shell string. {@code output} receives the action's
 * output line by line as it happens.
 */
public record ActionRequest(Operation operation, Map<String, String> variables, Consumer<String> output) {
    public ActionRequest {
        variables = Map.copyOf(variables);
    }
}
