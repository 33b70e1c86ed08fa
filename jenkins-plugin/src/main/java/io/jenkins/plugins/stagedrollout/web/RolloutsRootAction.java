package io.jenkins.plugins.stagedrollout.web;

import hudson.Extension;
import hudson.model.RootAction;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.Controls;
import io.jenkins.plugins.stagedrollout.logic.RolloutView;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.stagedrollout.core.machine.Target;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * {@code /staged-rollouts/}: every rollout in the store across jobs (active first), with Promote and Rollback for
 * people who hold those permissions on the whole controller. The POST endpoints serve scripts too:
 * {@code curl -X POST -u user:token JENKINS/staged-rollouts/promote?rollout=checkout/production&ring=canary}.
 */
@Extension
public final class RolloutsRootAction implements RootAction {
    private static final Logger LOGGER = Logger.getLogger(RolloutsRootAction.class.getName());
    public static final String URL_NAME = "staged-rollouts";

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.READ) ? "symbol-analytics" : null;
    }

    @Override
    public String getDisplayName() {
        return "Staged Rollouts";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public List<RolloutView> getActive() {
        return views(true);
    }

    public List<RolloutView> getFinished() {
        return views(false);
    }

    private List<RolloutView> views(boolean active) {
        Jenkins.get().checkPermission(Jenkins.READ);
        try {
            return Rollouts.host().service().list().stream()
                    .filter(s -> s.status().isActive() == active)
                    .map(s -> RolloutView.of(s, Rollouts.host().now()))
                    .toList();
        } catch (StageException e) {
            LOGGER.log(Level.WARNING, "listing rollouts", e);
            return List.of();
        }
    }

    public boolean isCanPromote() {
        return Jenkins.get().hasPermission(RolloutPermissions.PROMOTE);
    }

    public boolean isCanRollback() {
        return Jenkins.get().hasPermission(RolloutPermissions.ROLLBACK);
    }

    /** @param rolloutId the rollout the page showed (optional): a newer rollout of the key is then left alone */
    @RequirePOST
    public HttpResponse doPromote(@QueryParameter String rollout, @QueryParameter String ring, @QueryParameter String rolloutId) {
        return WebControls.answer(() -> controls().promote(RolloutsRootAction::check, null, rollout, ring,
                Target.id(rolloutId), Caller.of(JenkinsActors.forCaller(null))).message());
    }

    /** No build here: a plan action started from this page gets no credentials (the pipeline's rollback step has them). */
    @RequirePOST
    public HttpResponse doRollback(@QueryParameter String rollout, @QueryParameter String reason, @QueryParameter String rolloutId) {
        return WebControls.answer(() -> controls().rollback(RolloutsRootAction::check, null, rollout, reason,
                Target.id(rolloutId), Caller.of(JenkinsActors.forCaller(null))).message());
    }

    private static void check(Controls.Control control) {
        Jenkins.get().checkPermission(RolloutPermissions.of(control));
    }

    private static Controls controls() throws StageException {
        return new Controls(Rollouts.host().service(), Rollouts.host()::changed);
    }

}
