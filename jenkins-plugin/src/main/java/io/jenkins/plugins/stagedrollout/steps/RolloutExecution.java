package io.jenkins.plugins.stagedrollout.steps;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.stagedrollout.glue.BuildLog;
import io.jenkins.plugins.stagedrollout.glue.JenkinsActors;
import io.jenkins.plugins.stagedrollout.glue.Rollouts;
import io.jenkins.plugins.stagedrollout.glue.StepContexts;
import io.jenkins.plugins.stagedrollout.logic.BuildCaller;
import io.jenkins.plugins.stagedrollout.logic.Caller;
import io.jenkins.plugins.stagedrollout.logic.LiveDeploys;
import io.jenkins.plugins.stagedrollout.logic.RolloutService;
import io.jenkins.plugins.stagedrollout.logic.StageException;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.policy.Freeze;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

/**
 * What the four steps share: their blocking work (the store, plan files, credentials, gates, plan actions) runs on the
 * plugin's workers, one task at a time per rollout key, never on the Pipeline's CPS thread; the step ends once, and a
 * stop ends it at once even while work is still running (whose result is then dropped). Each step keeps in its
 * serialized fields what it needs to carry on after a restart, and runs its interrupted work again in
 * {@link #onResume()} — every such work is idempotent on the store.
 */
abstract class RolloutExecution extends StepExecution {
    private static final long serialVersionUID = 2L;

    /** Work for a worker thread. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Also kept by StepExecution; held here as well so unit tests against the compile-only stand-in see it. */
    protected final StepContext context;
    protected final String rollout;
    /** The build's job and permissions, read on the CPS thread when the step started. */
    protected BuildCaller who;
    private volatile boolean done;
    /** The body while it runs; serialized, so a resumed step can still stop it. */
    private BodyExecution body;
    /** The build was stopped: a body ending now was interrupted, not failed. */
    private volatile boolean stopped;
    /** Work submitted and not yet ended; none after a restart (a fresh JVM runs nothing yet). */
    private transient AtomicInteger running;

    protected RolloutExecution(StepContext context, String rollout) {
        super(context);
        this.context = context;
        this.rollout = rollout;
    }

    /** The step's name, for messages. */
    protected abstract String stepName();

    /** Reads who runs the step: call on the CPS thread (in {@link #start()}), where the build's authentication is. */
    protected final void identify() throws IOException, InterruptedException {
        who = Rollouts.host().caller(context);
    }

    /** Runs {@code work} off the CPS thread after earlier work on the same rollout; what it throws ends the step. */
    protected final void offload(Work work) {
        if (done) return;
        running().incrementAndGet();
        Rollouts.host().workers().submit(rollout, () -> {
            try {
                if (!done) work.run();
            } catch (StageException e) {
                if (e.reason() == StageException.Reason.STOPPED) return; // the controller shuts down: resumed later
                fail(new AbortException(stepName() + ": " + e.getMessage()));
            } catch (InterruptedException e) {
                fail(e);
            } catch (Exception | Error e) {
                fail(e);
            } finally {
                running().decrementAndGet();
            }
        });
    }

    private synchronized AtomicInteger running() {
        if (running == null) running = new AtomicInteger();
        return running;
    }

    /** Ends the step with {@code result}, unless it already ended. */
    public final void succeed(Object result) {
        synchronized (this) {
            if (done) return;
            done = true;
        }
        ended();
        context.onSuccess(result);
    }

    /** Ends the step with {@code failure}, unless it already ended. */
    public final void fail(Throwable failure) {
        synchronized (this) {
            if (done) return;
            done = true;
        }
        ended();
        context.onFailure(failure);
    }

    /** Called once when the step ends, before the pipeline hears it: cancel timers, forget live deploys. */
    protected void ended() {}

    protected final boolean isDone() {
        return done;
    }

    /**
     * Stopping the build (Abort, a timeout around the step) ends the step now, whatever work is still running; while
     * the body runs, the body is cancelled and its end ends the step. Decided under the lock, so a body about to start
     * never starts.
     */
    @Override
    public void stop(@NonNull Throwable cause) throws Exception {
        BodyExecution b;
        synchronized (this) {
            stopped = true;
            b = body;
            if (b == null) {
                fail(cause);
                return;
            }
        }
        b.cancel(cause);
    }

    /**
     * Starts the body (a deploy, a revert) with the {@code ROLLOUT_*} {@code variables}, unless the step already ended;
     * its end comes to {@code ends}. False when it did not start.
     */
    protected final boolean startBody(Map<String, String> variables, BodyEnd.Listener ends)
            throws IOException, InterruptedException {
        RolloutEnvironment env = new RolloutEnvironment(context.get(EnvironmentExpander.class), variables);
        synchronized (this) {
            if (done) return false;
            body = context.newBodyInvoker().withContext(env).withCallback(new BodyEnd(ends)).start();
            return true;
        }
    }

    /**
     * The body ended (on the CPS thread). True when it was interrupted — the build stopped, a timeout around it — which
     * is not a failed deploy or revert: how far it got is unknown.
     */
    protected final boolean bodyInterrupted(Throwable failure) {
        synchronized (this) {
            body = null;
        }
        return failure != null && (stopped || failure instanceof InterruptedException);
    }

    /** A safe restart waits while work is running, so that a restart rarely has anything to run again. */
    @Override
    public boolean blocksRestart() {
        return running().get() > 0;
    }

    /** The journal's actor, and only the values bound for this build (resolved now, off the CPS thread). */
    protected final Caller caller(Map<String, String> credentials) throws StageException, IOException, InterruptedException {
        BuildLog log = log();
        return new Caller(actor(), log, Rollouts.host().bindings(context, credentials, log::line));
    }

    // ---- what a step lends the logic it runs (StageRun.Port) ------------------------------------------------------

    public RolloutService service() throws StageException {
        return Rollouts.host().service();
    }

    public LiveDeploys deploys() {
        return Rollouts.host().deploys();
    }

    public List<Freeze> hostFreezes() throws IOException, InterruptedException {
        return StepContexts.hostFreezes(context);
    }

    /** Persists the step (the Pipeline's program state). */
    public void save() {
        context.saveState();
    }

    /** Tells the stages waiting on the rollout on this controller that it changed. */
    public void changed() {
        Rollouts.host().changed(rollout);
    }

    public void log(String line) {
        log().line(line);
    }

    public Instant now() {
        return Rollouts.host().now();
    }

    public void fail(String message) {
        fail(new AbortException(message));
    }

    protected final Actor actor() {
        try {
            return JenkinsActors.forBuild(context.get(Run.class));
        } catch (IOException | InterruptedException e) {
            return JenkinsActors.forBuild(null);
        }
    }

    protected final BuildLog log() {
        try {
            TaskListener l = context.get(TaskListener.class);
            return new BuildLog(l == null ? TaskListener.NULL : l);
        } catch (IOException | InterruptedException e) {
            return new BuildLog(TaskListener.NULL);
        }
    }
}
