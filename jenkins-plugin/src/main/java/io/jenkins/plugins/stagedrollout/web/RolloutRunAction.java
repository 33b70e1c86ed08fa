package io.jenkins.plugins.stagedrollout.web;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Run;
import io.jenkins.plugins.stagedrollout.config.RolloutConfiguration;
import io.jenkins.plugins.stagedrollout.config.RolloutPermissions;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.Controls;
import io.jenkins.plugins.stagedrollout.logic.RolloutView;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.stagedrollout.core.engine.EngineListener;
import io.stagedrollout.core.machine.Target;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.interceptor.RequirePOST;

/**
 * "Staged Rollout" on a build page: the rollouts the build took part in, their rings, gates and verdict, and the
 * Promote and Rollback buttons. Only the rollout keys are kept in build.xml; the rollouts live in the plugin's store.
 */
public final class RolloutRunAction implements RunAction2 {
    private static final Logger LOGGER = Logger.getLogger(RolloutRunAction.class.getName());
    public static final String URL_NAME = "staged-rollout";

    private final List<String> rollouts = new CopyOnWriteArrayList<>();
    /** {@code key id} of every rollout the build took part in, so that its rollback can name the one it means. */
    private List<String> ids = new CopyOnWriteArrayList<>();
    private transient Run<?, ?> run;

    /** Adds {@code rollout} to the build's page (once) and remembers that the build took part in {@code rolloutId}. */
    public static void record(@CheckForNull Run<?, ?> run, String rollout, String rolloutId) {
        if (run == null) return;
        synchronized (run) {
            RolloutRunAction a = run.getAction(RolloutRunAction.class);
            if (a == null) {
                a = new RolloutRunAction();
                run.addAction(a);
            }
            boolean newKey = !a.rollouts.contains(rollout);
            boolean newId = rolloutId != null && !a.ids.contains(rollout + " " + rolloutId);
            if (!newKey && !newId) return;
            if (newKey) a.rollouts.add(rollout);
            if (newId) a.ids.add(rollout + " " + rolloutId);
        }
        try {
            run.save();
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "saving " + run, e);
        }
    }

    @Override
    public String getIconFileName() {
        return "symbol-analytics";
    }

    @Override
    public String getDisplayName() {
        return "Staged Rollout";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        this.run = r;
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        this.run = r;
    }

    public Run<?, ?> getRun() {
        return run;
    }

    public List<String> getRollouts() {
        return List.copyOf(rollouts);
    }

    /** The ids of the rollouts of {@code rollout} this build took part in, oldest first. */
    public List<String> idsOf(String rollout) {
        return ids.stream().filter(e -> e.startsWith(rollout + " ")).map(e -> e.substring(rollout.length() + 1)).toList();
    }

    /** build.xml written before ids were kept has none. */
    private Object readResolve() {
        if (ids == null) ids = new CopyOnWriteArrayList<>();
        return this;
    }

    /** The rollouts as they are now in the store. */
    public List<RolloutView> getViews() {
        List<RolloutView> views = new ArrayList<>();
        for (String key : rollouts) {
            try {
                Rollouts.host().service().read(key).map(s -> RolloutView.of(s, Rollouts.host().now())).ifPresent(views::add);
            } catch (StageException e) {
                LOGGER.log(Level.WARNING, "reading rollout " + key, e);
            }
        }
        return views;
    }

    public boolean isCanPromote() {
        return run != null && run.hasPermission(RolloutPermissions.PROMOTE);
    }

    public boolean isCanRollback() {
        return run != null && run.hasPermission(RolloutPermissions.ROLLBACK);
    }

    /**
     * The permission is checked on the build's job before the store is opened.
     *
     * @param rolloutId the rollout the page showed (optional): a newer rollout of the key is then left alone
     */
    @RequirePOST
    public HttpResponse doPromote(@QueryParameter String rollout, @QueryParameter String ring, @QueryParameter String rolloutId) {
        check(Controls.Control.PROMOTE);
        return WebControls.answer(() -> controls().promote(this::check, rollouts, rollout, ring, Target.id(rolloutId),
                caller()).message());
    }

    @RequirePOST
    public HttpResponse doRollback(@QueryParameter String rollout, @QueryParameter String reason, @QueryParameter String rolloutId) {
        check(Controls.Control.ROLLBACK);
        return WebControls.answer(() -> controls().rollback(this::check, rollouts, rollout, reason, Target.id(rolloutId),
                caller()).message());
    }

    /**
     * The person, and for a plan action only the global configuration's values resolved for this build. A request
     * never waits for another driver's lease.
     */
    private Caller caller() throws StageException {
        return new Caller(JenkinsActors.forCaller(run), EngineListener.NONE,
                RolloutConfiguration.get().bindings(run, Map.of(), warning -> LOGGER.warning(warning))).forWebRequest();
    }

    private void check(Controls.Control control) {
        run.checkPermission(RolloutPermissions.of(control));
    }

    private static Controls controls() throws StageException {
        return new Controls(Rollouts.host().service(), Rollouts.host()::changed);
    }

}
