package io.jenkins.plugins.stagedrollout.web;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.RootAction;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.Controls;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.RolloutView;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.machine.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * {@code /staged-rollouts/}: the rollouts in the store across jobs (active first) that the viewer may see, with
 * Promote and Rollback where the viewer holds those permissions. A rollout belongs to the job or folder that owns its
 * key ({@code RolloutOwnership}): it is listed for people with Item/Read there, and its buttons need Promote or
 * Rollback there (granted on it, on a folder above it, or on the controller). A rollout whose key no item on this
 * controller owns (the CLI on a shared store) is listed for administrators and for people granted Promote or Rollback
 * on the whole controller.
 * The POST endpoints serve scripts too:
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

    /** One listed rollout and what the viewer may do to it. Getters for Jelly. */
    public static final class Entry {
        private final RolloutView view;
        private final AccessControlled owner;

        Entry(RolloutView view, AccessControlled owner) {
            this.view = view;
            this.owner = owner;
        }

        public RolloutView getView() {
            return view;
        }

        public boolean isCanPromote() {
            return owner.hasPermission(RolloutPermissions.PROMOTE);
        }

        public boolean isCanRollback() {
            return owner.hasPermission(RolloutPermissions.ROLLBACK);
        }
    }

    public List<Entry> getActive() {
        return entries(true);
    }

    public List<Entry> getFinished() {
        return entries(false);
    }

    private List<Entry> entries(boolean active) {
        Jenkins.get().checkPermission(Jenkins.READ);
        List<Entry> entries = new ArrayList<>();
        try {
            RolloutService service = Rollouts.host().service();
            for (RolloutState s : service.list()) {
                if (s.status().isActive() != active) continue;
                owner(s).ifPresent(o -> entries.add(new Entry(RolloutView.of(s, Rollouts.host().now()), o)));
            }
        } catch (StageException e) {
            LOGGER.log(Level.WARNING, "listing rollouts", e);
        }
        return entries;
    }

    /**
     * What the viewer's permissions on {@code s} are checked against: the job or folder that owns its key (Manage
     * Jenkins » System » Staged Rollout ownership), when the viewer may read it; the controller for a key no item here
     * owns (the CLI on a shared store), when the viewer administers or releases on the whole controller; otherwise
     * nothing (the rollout is not shown and its endpoints answer 404).
     */
    private static Optional<AccessControlled> owner(RolloutState s) {
        Jenkins jenkins = Jenkins.get();
        Optional<String> owner = Rollouts.host().owners().ownerOf(s.key());
        if (owner.isPresent()) {
            Item item = jenkins.getItemByFullName(owner.get(), Item.class); // null without Item/Read
            if (item != null) return Optional.of(item);
            if (!jenkins.hasPermission(Jenkins.ADMINISTER)) return Optional.empty();
        }
        boolean global = jenkins.hasPermission(Jenkins.ADMINISTER) || jenkins.hasPermission(RolloutPermissions.PROMOTE)
                || jenkins.hasPermission(RolloutPermissions.ROLLBACK);
        return global ? Optional.of(jenkins) : Optional.empty();
    }

    /** @param rolloutId the rollout the page showed (optional): a newer rollout of the key is then left alone */
    @RequirePOST
    public HttpResponse doPromote(@QueryParameter String rollout, @QueryParameter String ring, @QueryParameter String rolloutId) {
        return WebControls.answer(() -> {
            AccessControlled owner = ownerOrNotFound(rollout, RolloutPermissions.PROMOTE);
            return controls().promote(c -> owner.checkPermission(RolloutPermissions.of(c)), null, rollout, ring,
                    Target.id(rolloutId), Caller.of(JenkinsActors.forCaller(null)).forWebRequest()).message();
        });
    }

    /** No build here: a plan action started from this page gets no credentials (the pipeline's rollback step has them). */
    @RequirePOST
    public HttpResponse doRollback(@QueryParameter String rollout, @QueryParameter String reason, @QueryParameter String rolloutId) {
        return WebControls.answer(() -> {
            AccessControlled owner = ownerOrNotFound(rollout, RolloutPermissions.ROLLBACK);
            return controls().rollback(c -> owner.checkPermission(RolloutPermissions.of(c)), null, rollout, reason,
                    Target.id(rolloutId), Caller.of(JenkinsActors.forCaller(null)).forWebRequest()).message();
        });
    }

    /** Overall/Read before the store is opened; then the rollout's owner, unknown (404) when the caller may not see it. */
    private static AccessControlled ownerOrNotFound(@CheckForNull String rollout, Permission permission)
            throws StageException {
        Jenkins.get().checkPermission(Jenkins.READ);
        RolloutService.key(rollout); // a bad key is a 400 before anything is read
        RolloutService service = Rollouts.host().service();
        Optional<RolloutState> s = service.read(rollout);
        Optional<AccessControlled> owner = s.isPresent() ? owner(s.get()) : Optional.empty();
        if (owner.isEmpty()) throw new StageException(StageException.Reason.NOT_FOUND, "no rollout " + rollout);
        owner.get().checkPermission(permission);
        return owner.get();
    }

    private static Controls controls() throws StageException {
        return new Controls(Rollouts.host().service(), Rollouts.host()::changed);
    }
}
