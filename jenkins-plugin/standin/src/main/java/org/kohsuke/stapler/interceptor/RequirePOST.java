// Compile-only stand-in of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e (as in jenkins-core 2.555.3; checked
// against jenkinsci/stapler 135bbbc88): declarations only (methods throw), never shipped.
package org.kohsuke.stapler.interceptor;

import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;

@Retention(RUNTIME)
@Target({METHOD, FIELD})
public @interface RequirePOST {}
