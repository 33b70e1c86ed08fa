package io.stagedrollout.cli.ci;

import io.stagedrollout.core.machine.Actor;
import java.util.Map;

/**
 * A CI system the {@code rollout} JAR can run inside. It recognises itself from the job's environment and says who
 * the journal should record as the actor: the person who started the job, the adapter, and a link to the job.
 */
public interface CiHost {
    /** Short adapter name recorded as {@link Actor#via()}: {@code gitlab}, {@code github}, ... */
    String name();

    /** True when the environment is a job of this host. */
    boolean detects(Map<String, String> env);

    /** Who is acting: the user behind the job, via this host, with the job's URL. */
    Actor actor(Map<String, String> env);

    /**
     * Where the command came from, for the journal's evidence (pipeline, job, commit). Only identifying values,
     * never tokens or other variables a job carries.
     */
    Map<String, String> origin(Map<String, String> env);
}
