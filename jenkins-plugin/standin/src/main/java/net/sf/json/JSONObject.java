// Compile-only stand-in of org.kohsuke.stapler:json-lib:2.4-jenkins-15 (as in jenkins-core 2.555.3; checked against
// jenkinsci/json-lib 4169f83122cb): declarations only (methods throw), never shipped.
package net.sf.json;

public final class JSONObject {
    public JSONObject() {
    }
}
