// Compile-only stand-in of org.jenkins-ci.plugins:credentials (version from bom-2.555.x 6916.v15ec97679743; checked
// against jenkinsci/credentials-plugin d96751bc): declarations only (methods throw), never shipped.
package com.cloudbees.plugins.credentials.common;

import edu.umd.cs.findbugs.annotations.NonNull;

public class StandardListBoxModel extends AbstractIdCredentialsListBoxModel<StandardListBoxModel, StandardCredentials> {
    @NonNull
    protected String describe(@NonNull StandardCredentials c) {
        throw new UnsupportedOperationException();
    }
}
