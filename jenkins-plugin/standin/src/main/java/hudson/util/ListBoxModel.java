// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson.util;

import java.util.ArrayList;
import org.kohsuke.stapler.HttpResponse;

public class ListBoxModel extends ArrayList<ListBoxModel.Option> implements HttpResponse {
    public ListBoxModel() {
    }

    public static final class Option {
        private Option() {
            throw new UnsupportedOperationException();
        }
    }
}
