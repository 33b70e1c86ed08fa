package io.jenkins.plugins.stagedrollout.config;

import hudson.model.Item;
import hudson.security.Permission;
import hudson.security.PermissionGroup;
import io.jenkins.plugins.stagedrollout.logic.Controls;
import org.jvnet.localizer.Localizable;
import org.jvnet.localizer.ResourceBundleHolder;

/**
 * The "Staged Rollout" permission group. Promote and Rollback are implied by Item/Build, like the input step's
 * Proceed; with matrix authorization they can be granted to people who may not start builds (release managers).
 */
public final class RolloutPermissions {
    private static final ResourceBundleHolder BUNDLE = ResourceBundleHolder.get(RolloutPermissions.class);

    public static final PermissionGroup GROUP =
            new PermissionGroup(RolloutPermissions.class, new Localizable(BUNDLE, "group"));

    public static final Permission PROMOTE =
            new Permission(GROUP, "Promote", new Localizable(BUNDLE, "promote"), Item.BUILD);

    public static final Permission ROLLBACK =
            new Permission(GROUP, "Rollback", new Localizable(BUNDLE, "rollback"), Item.BUILD);

    private RolloutPermissions() {}

    public static Permission of(Controls.Control control) {
        return control == Controls.Control.PROMOTE ? PROMOTE : ROLLBACK;
    }
}
