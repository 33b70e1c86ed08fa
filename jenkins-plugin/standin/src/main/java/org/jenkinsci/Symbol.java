// Compile-only stand-in of org.jenkins-ci:symbol-annotation (as in jenkins-core 2.555.3; checked against
// jenkinsci/lib-symbol-annotation 248321f): declarations only (methods throw), never shipped.
package org.jenkinsci;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

@Retention(RUNTIME)
@Target(TYPE)
@Documented
public @interface Symbol {
    String[] value();
}
