// Compile-only stand-in of org.kohsuke.stapler:stapler:2076.v1b_a_c12445eb_e (as in jenkins-core 2.555.3; checked
// against jenkinsci/stapler 135bbbc88): declarations only (methods throw), never shipped.
package org.kohsuke.stapler;

public class HttpResponses {
    public abstract static class HttpResponseException extends RuntimeException implements HttpResponse {}

    public static HttpResponseException errorWithoutStack(final int code, final String errorMessage) {
        throw new UnsupportedOperationException();
    }

    public static HttpResponse redirectToDot() {
        throw new UnsupportedOperationException();
    }
}
