package io.jenkins.plugins.stagedrollout.config;

import hudson.init.InitMilestone;
import hudson.init.Initializer;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import hudson.security.PermissionScope;
import io.jenkins.plugins.stagedrollout.logic.Controls;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;

/**
 * The "Staged Rollout" permission group: Promote and Rollback. They are item-scoped, so an authorization strategy
 * (Matrix Authorization) can grant them on the whole controller, on a folder or on one job, and they are implied by
 * Overall/Administer only: being allowed to build a job does not make anyone a release manager.
 */
public final class RolloutPermissions {
    private static final Logger LOGGER = Logger.getLogger(RolloutPermissions.class.getName());
    private static final ResourceBundleHolder BUNDLE = ResourceBundleHolder.get(RolloutPermissions.class);

    public static final PermissionGroup GROUP =
            new PermissionGroup(RolloutPermissions.class, new Localizable(BUNDLE, "group"));

    public static final Permission PROMOTE = new Permission(GROUP, "Promote", new Localizable(BUNDLE, "promote"),
            Jenkins.ADMINISTER, PermissionScope.ITEM);

    public static final Permission ROLLBACK = new Permission(GROUP, "Rollback", new Localizable(BUNDLE, "rollback"),
            Jenkins.ADMINISTER, PermissionScope.ITEM);

    private RolloutPermissions() {}

    /**
     * Registers the group at start-up, before the authorization strategy is read from config.xml: a permission is
     * known to Jenkins only once its class is initialised, and a strategy loaded or re-saved without it drops its
     * grants.
     */
    @Initializer(before = InitMilestone.SYSTEM_CONFIG_LOADED)
    public static void register() {
        LOGGER.fine(() -> "registered " + PROMOTE + " and " + ROLLBACK);
    }

    public static Permission of(Controls.Control control) {
        return control == Controls.Control.PROMOTE ? PROMOTE : ROLLBACK;
    }
}
