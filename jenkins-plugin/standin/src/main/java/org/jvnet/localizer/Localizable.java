// Compile-only stand-in of org.jvnet.localizer:localizer (as in jenkins-core 2.555.3; checked against
// kohsuke/localizer fd6c5ef): declarations only (methods throw), never shipped.
package org.jvnet.localizer;

public class Localizable {
    public Localizable(ResourceBundleHolder holder, String key, Object... args) {
    }
}
