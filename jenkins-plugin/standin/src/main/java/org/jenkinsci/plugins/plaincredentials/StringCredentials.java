// Compile-only stand-in of org.jenkins-ci.plugins:plain-credentials (version from bom-2.555.x 6916.v15ec97679743;
// checked against jenkinsci/plain-credentials-plugin 19caf8f): declarations only (methods throw), never shipped.
package org.jenkinsci.plugins.plaincredentials;

import com.cloudbees.plugins.credentials.common.StandardCredentials;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.util.Secret;

public interface StringCredentials extends StandardCredentials {
    @NonNull Secret getSecret();
}
