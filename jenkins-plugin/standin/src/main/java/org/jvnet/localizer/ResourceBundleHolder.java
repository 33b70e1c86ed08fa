// Compile-only stand-in of org.jvnet.localizer:localizer (as in jenkins-core 2.555.3; checked against
// kohsuke/localizer fd6c5ef): declarations only (methods throw), never shipped.
package org.jvnet.localizer;

import java.io.Serializable;

public final class ResourceBundleHolder implements Serializable {
    private ResourceBundleHolder() {
        throw new UnsupportedOperationException();
    }

    public static synchronized ResourceBundleHolder get(Class<?> clazz) {
        throw new UnsupportedOperationException();
    }
}
