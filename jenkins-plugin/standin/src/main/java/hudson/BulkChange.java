// Compile-only stand-in of org.jenkins-ci.main:jenkins-core:2.555.3 (jenkinsci/jenkins tag jenkins-2.555.3):
// declarations only (methods throw; constructors at most pass arguments to super like the real ones); never shipped. Checked with standin-check.
package hudson;

import hudson.model.Saveable;
import java.io.Closeable;
import java.io.IOException;

public class BulkChange implements Closeable {
    public BulkChange(Saveable saveable) {
    }

    public void commit() throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }
}
