// Compile-only stand-in of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_ (bom-2.555.x
// 6916.v15ec97679743; checked against jenkinsci/workflow-step-api-plugin 0773c3c): declarations only (methods throw), never shipped.
package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.Collection;
import java.util.concurrent.Future;

public abstract class BodyExecution implements Future<Object>, Serializable {
    public abstract Collection<StepExecution> getCurrentExecutions();

    @Deprecated
    public boolean cancel(boolean b) {
        throw new UnsupportedOperationException();
    }

    public boolean cancel(Throwable t) {
        throw new UnsupportedOperationException();
    }
}
