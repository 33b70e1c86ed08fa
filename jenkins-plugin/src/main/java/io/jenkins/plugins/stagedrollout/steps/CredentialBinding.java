package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Descriptor;
import io.jenkins.plugins.stagedrollout.logic.CredentialBindings;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code credentials: [[variable: 'PROM_TOKEN', credentialsId: 'prometheus-token']]} on {@code canaryStage},
 * {@code promote} and {@code rollback}: a Secret text credential, resolved for the build, that the plan's gates,
 * actions and notifications read by {@code variable} ({@code tokenEnv: PROM_TOKEN}, {@code urlEnv: ...}). The only way,
 * besides the global metrics token, a value reaches a plan.
 */
public final class CredentialBinding extends AbstractDescribableImpl<CredentialBinding> {
    private final String variable;
    private final String credentialsId;

    @DataBoundConstructor
    public CredentialBinding(String variable, String credentialsId) {
        this.variable = variable;
        this.credentialsId = credentialsId;
    }

    public String getVariable() {
        return variable;
    }

    public String getCredentialsId() {
        return credentialsId;
    }

    /** The step's bindings checked, as variable → credentials id. */
    static Map<String, String> check(String step, List<CredentialBinding> bindings) throws StageException {
        return CredentialBindings.check(step, bindings == null ? List.of() : bindings.stream()
                .map(b -> b == null ? null : new CredentialBindings.Binding(b.variable, b.credentialsId)).toList());
    }

    @Extension
    @Symbol("rolloutCredential")
    public static final class DescriptorImpl extends Descriptor<CredentialBinding> {
        @NonNull
        @Override
        public String getDisplayName() {
            return "Secret text credential given to the rollout plan";
        }
    }
}
