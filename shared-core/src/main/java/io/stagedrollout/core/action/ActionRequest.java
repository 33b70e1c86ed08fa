package io.stagedrollout.core.action;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One call of an action. {@code variables} are the ROLLOUT_* values (DESIGN.md "The plan file"); actions pass them
 * as environment variables or JSON fields, never pasted into a shell string. {@code output} receives the action's
 * output line by line as it happens. {@code control} marks the processes a command action starts, so the driver can
 * end them all (when it is stopped, or after a crash).
 */
public record ActionRequest(Operation operation, Map<String, String> variables, Consumer<String> output,
        ProcessControl control) {
    public ActionRequest {
        variables = Map.copyOf(variables);
        if (control == null) control = ProcessControl.tagged(operation.name().toLowerCase(java.util.Locale.ROOT));
    }

    public ActionRequest(Operation operation, Map<String, String> variables, Consumer<String> output) {
        this(operation, variables, output, null);
    }
}
