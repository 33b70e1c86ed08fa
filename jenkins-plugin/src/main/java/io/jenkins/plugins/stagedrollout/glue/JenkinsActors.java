package io.jenkins.plugins.stagedrollout.glue;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.model.Cause;
import hudson.model.Run;
import hudson.model.User;
import io.stagedrollout.core.machine.Actor;
import jenkins.model.Jenkins;

/** Who did it, for the journal: the user (or SYSTEM) and the build's URL. */
public final class JenkinsActors {
    public static final String VIA = "jenkins";

    private JenkinsActors() {}

    /** A step in a build: the user who started the build, else the build itself. */
    public static Actor forBuild(@CheckForNull Run<?, ?> run) {
        if (run == null) return Actor.system(VIA);
        Cause.UserIdCause cause = run.getCause(Cause.UserIdCause.class);
        String user = cause == null ? null : cause.getUserId();
        return new Actor(user == null ? run.getFullDisplayName() : user, VIA, url(run));
    }

    /** A person pressing a button (or an HTTP POST) on a build page, or on the global page ({@code run} null). */
    public static Actor forCaller(@CheckForNull Run<?, ?> run) {
        User user = User.current();
        return new Actor(user == null ? "anonymous" : user.getId(), VIA, run == null ? rootUrl() : url(run));
    }

    static String url(Run<?, ?> run) {
        String root = rootUrl();
        return root == null ? run.getUrl() : root + run.getUrl();
    }

    @CheckForNull
    static String rootUrl() {
        return Jenkins.get().getRootUrl();
    }
}
