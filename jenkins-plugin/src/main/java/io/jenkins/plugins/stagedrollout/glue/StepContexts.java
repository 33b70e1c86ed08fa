package io.jenkins.plugins.stagedrollout.glue;

import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.web.RolloutRunAction;
import io.stagedrollout.core.plan.InvalidPlanException;
import io.stagedrollout.core.plan.RolloutPlan;
import io.stagedrollout.core.policy.Freeze;
import java.io.IOException;
import java.util.List;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** What the steps read from the Pipeline around them: the plan, the build's freezes, the build page's link. */
public final class StepContexts {
    private StepContexts() {}

    /**
     * The plan a {@code canaryStage} names — a workspace file (remote I/O: call off the CPS thread) or its text — or
     * null; the message names the argument that is wrong.
     */
    public static RolloutPlan readPlan(StepContext context, String planFile, String planText, RolloutService service)
            throws IOException, InterruptedException {
        String text = planText;
        String source = "planText";
        if (planFile != null) {
            FilePath workspace = context.get(FilePath.class);
            if (workspace == null) {
                throw new AbortException("canaryStage: plan: '" + planFile + "' is a workspace file, and this step runs"
                        + " outside node { }; run it inside node { } or pass planText: readTrusted('" + planFile + "')");
            }
            FilePath file = workspace.child(planFile);
            if (!file.exists()) throw new AbortException("canaryStage: plan: '" + planFile + "' does not exist in " + workspace.getRemote());
            text = file.readToString();
            source = planFile;
        }
        if (text == null) return null;
        try {
            return service.readPlan(text);
        } catch (InvalidPlanException e) {
            throw new AbortException("canaryStage: the plan " + source + " is not valid:\n" + e.getMessage());
        }
    }

    /**
     * Freezes the build announces: {@code CI_DEPLOY_FREEZE} set (not "false" or "0") in its environment, e.g. by a
     * global property an administrator sets for a freeze period. Its end is not known, so such a stage fails.
     */
    public static List<Freeze> hostFreezes(StepContext context) throws IOException, InterruptedException {
        EnvVars env = context.get(EnvVars.class);
        if (env == null) return List.of();
        return Freeze.fromGitLab(env).map(f -> List.of(new Freeze(null, null, "deploy freeze ("
                + Freeze.GITLAB_VARIABLE + " is set in the build's environment)"))).orElse(List.of());
    }

    /** Prints a link to the build's Staged Rollout page (Promote, Roll back) into the build log. */
    public static void printPageLink(StepContext context, String text) {
        try {
            Run<?, ?> build = context.get(Run.class);
            TaskListener listener = context.get(TaskListener.class);
            if (build != null && listener != null) {
                listener.getLogger().print(BuildLog.PREFIX);
                listener.hyperlink("/" + build.getUrl() + RolloutRunAction.URL_NAME + "/", text);
                listener.getLogger().println();
            }
        } catch (IOException | InterruptedException e) {
            // no link then; the build page has the buttons
        }
    }
}
