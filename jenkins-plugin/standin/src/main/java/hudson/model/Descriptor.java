// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson.model;

import edu.umd.cs.findbugs.annotations.NonNull;
import net.sf.json.JSONObject;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerRequest2;

public abstract class Descriptor<T extends Describable<T>> implements Saveable {
    protected Descriptor() {
    }

    public @NonNull String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized void save() {
        throw new UnsupportedOperationException();
    }

    public synchronized void load() {
        throw new UnsupportedOperationException();
    }

    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        throw new UnsupportedOperationException();
    }

    public static final class FormException extends Exception implements HttpResponse {
        public FormException(String message, String formField) {
        }

        public FormException(String message, Throwable cause, String formField) {
        }
    }
}
