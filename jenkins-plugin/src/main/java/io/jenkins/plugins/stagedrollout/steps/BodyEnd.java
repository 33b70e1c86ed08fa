package io.jenkins.plugins.stagedrollout.steps;

import java.io.Serializable;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** Hands the end of a step's body (the ring's deploy) to its execution, which records it off the CPS thread. */
final class BodyEnd extends BodyExecutionCallback {
    private static final long serialVersionUID = 1L;

    /** The execution the body belongs to (serialized with the pipeline, like the callback). */
    interface Listener extends Serializable {
        void bodyEnded(Throwable failure);
    }

    private final Listener execution;

    BodyEnd(Listener execution) {
        this.execution = execution;
    }

    @Override
    public void onSuccess(StepContext context, Object result) {
        execution.bodyEnded(null);
    }

    @Override
    public void onFailure(StepContext context, Throwable t) {
        execution.bodyEnded(t);
    }
}
