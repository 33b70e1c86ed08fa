// Compile-only stand-in of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_ (bom-2.555.x
// 6916.v15ec97679743; checked against jenkinsci/workflow-step-api-plugin 0773c3c): declarations only (methods throw), never shipped.
package org.jenkinsci.plugins.workflow.steps;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

public abstract class EnvironmentExpander implements Serializable {
    public abstract void expand(@NonNull EnvVars env) throws IOException, InterruptedException;

    public @NonNull Set<String> getSensitiveVariables() {
        throw new UnsupportedOperationException();
    }

    public static EnvironmentExpander constant(@NonNull Map<String, String> env) {
        throw new UnsupportedOperationException();
    }

    public static EnvironmentExpander merge(@CheckForNull EnvironmentExpander original,
            @NonNull EnvironmentExpander subsequent) {
        throw new UnsupportedOperationException();
    }
}
