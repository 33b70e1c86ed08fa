// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson.security;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import org.jvnet.localizer.Localizable;

public final class Permission {
    public Permission(@NonNull PermissionGroup group, @NonNull String name, @CheckForNull Localizable description,
            @CheckForNull Permission impliedBy) {
    }

    public Permission(@NonNull PermissionGroup group, @NonNull String name, @CheckForNull Localizable description,
            @CheckForNull Permission impliedBy, @NonNull PermissionScope scope) {
    }
}
