package io.jenkins.plugins.stagedrollout.web;

import io.jenkins.plugins.stagedrollout.logic.StageException;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.HttpResponses;

/** Turns a button's outcome into an HTTP answer: back to the page, or an error that names the problem. */
final class WebControls {
    @FunctionalInterface
    interface Change {
        String run() throws StageException, InterruptedException;
    }

    private WebControls() {}

    static HttpResponse answer(Change change) {
        try {
            change.run();
            return HttpResponses.redirectToDot();
        } catch (StageException e) {
            int status = switch (e.reason()) {
                case INVALID -> 400;
                case FORBIDDEN -> 403;
                case NOT_FOUND -> 404;
                case CONFLICT, FINISHED -> 409;
                case STORE, STOPPED -> 503;
            };
            return HttpResponses.errorWithoutStack(status, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HttpResponses.errorWithoutStack(503, "interrupted");
        }
    }
}
