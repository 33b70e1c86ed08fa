package io.jenkins.plugins.stagedrollout.logic;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Times as pages and build logs print them: UTC, to the second (as the CLI prints them). */
public final class Stamps {
    private Stamps() {}

    public static String of(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
