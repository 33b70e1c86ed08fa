// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson.util;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.Serializable;

public final class Secret implements Serializable {
    private Secret() {
        throw new UnsupportedOperationException();
    }

    public static String toString(@CheckForNull Secret s) {
        throw new UnsupportedOperationException();
    }
}
