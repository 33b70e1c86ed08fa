// Compile-only stand-in of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e (as in jenkins-core 2.555.3; checked
// against jenkinsci/stapler 135bbbc88): declarations only (methods throw), never shipped.
package org.kohsuke.stapler;

import net.sf.json.JSONObject;

public interface StaplerRequest2 {
    void bindJSON(Object bean, JSONObject src);
}
