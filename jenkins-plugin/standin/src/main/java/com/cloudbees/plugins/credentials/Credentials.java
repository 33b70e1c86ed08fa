// Compile-only stand-in of org.jenkins-ci.plugins:credentials (version from bom-2.555.x 6916.v15ec97679743; checked
// against jenkinsci/credentials-plugin d96751bc): declarations only (methods throw), never shipped.
package com.cloudbees.plugins.credentials;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import java.io.Serializable;

public interface Credentials extends Serializable {
    @CheckForNull
    CredentialsScope getScope();
}
