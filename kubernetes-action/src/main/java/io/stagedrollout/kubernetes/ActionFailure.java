package io.stagedrollout.kubernetes;

/** The cluster is not as the plan says (a Deployment missing, a route without the canary): becomes a failed result. */
final class ActionFailure extends RuntimeException {
    ActionFailure(String message) {
        super(message);
    }
}
