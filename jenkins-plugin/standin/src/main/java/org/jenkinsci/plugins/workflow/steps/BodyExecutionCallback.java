// Compile-only stand-in of org.jenkins-ci.plugins.workflow:workflow-step-api:724.v538c2362b_dfb_ (bom-2.555.x
// 6916.v15ec97679743; checked against jenkinsci/workflow-step-api-plugin 0773c3c): declarations only (methods throw), never shipped.
package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

public abstract class BodyExecutionCallback implements Serializable {
    public void onStart(StepContext context) {
        throw new UnsupportedOperationException();
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);
}
