package io.jenkins.plugins.stagedrollout.steps;

import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/** Starts a step as the pipeline would: create its execution, then start it. */
final class StepStarter {
    private StepStarter() {}

    static StepExecution start(Step step, StepContext context) throws Exception {
        StepExecution e = step.start(context);
        e.start();
        return e;
    }
}
