package io.jenkins.plugins.stagedrollout.logic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The credentials a step binds for its plan ({@code credentials: [[variable: 'PROM_TOKEN', credentialsId: 'prom']]}):
 * each a Secret text credential, resolved for the build, that the plan's gates, actions and notifications read by the
 * variable's name ({@code tokenEnv: PROM_TOKEN}). Nothing else of the controller is given to a plan.
 */
public final class CredentialBindings {
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    /** One binding as the step gives it. */
    public record Binding(String variable, String credentialsId) {}

    private CredentialBindings() {}

    /**
     * @return variable → credentials id, in the step's order
     * @throws StageException INVALID naming the binding that is wrong
     */
    public static Map<String, String> check(String step, List<Binding> bindings) throws StageException {
        Map<String, String> out = new LinkedHashMap<>();
        if (bindings == null) return out;
        for (int i = 0; i < bindings.size(); i++) {
            Binding b = bindings.get(i);
            String where = step + ": credentials[" + i + "]";
            if (b == null || b.variable() == null || !NAME.matcher(b.variable()).matches()) {
                throw new StageException(StageException.Reason.INVALID, where + ".variable: give the name the plan reads"
                        + " (letters, digits and '_', not starting with a digit), e.g. PROM_TOKEN");
            }
            if (b.credentialsId() == null || b.credentialsId().isBlank()) {
                throw new StageException(StageException.Reason.INVALID, where + ".credentialsId: give the id of a Secret"
                        + " text credential");
            }
            if (out.containsKey(b.variable())) {
                throw new StageException(StageException.Reason.INVALID, where + ".variable: " + b.variable()
                        + " is bound twice");
            }
            out.put(b.variable(), b.credentialsId().trim());
        }
        return out;
    }
}
