package io.jenkins.plugins.stagedrollout.logic;

import java.io.Serializable;

/**
 * The build a step runs in, as the step's authorization sees it: the job's full name (what owns rollouts), the name of
 * the build's authentication, and what that authentication may do on the job — read on the Pipeline thread when the
 * step starts, as the input and build steps check their permissions, and kept with the step across a restart.
 */
public record BuildCaller(String job, String runsAs, boolean mayPromote, boolean mayRollback) implements Serializable {}
