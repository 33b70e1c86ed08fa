package io.stagedrollout.core.machine;

/**
 * Who asked for a change, recorded in the journal: a person or a CI job. {@code via} names the adapter
 * ({@code cli}, {@code jenkins}, {@code gitlab}, {@code github}); {@code url} points at the build or job, if any.
 */
public record Actor(String name, String via, String url) {
    public static Actor system(String via) {
        return new Actor("staged-rollout", via, null);
    }

    public String describe() {
        return name + " via " + via + (url == null ? "" : " (" + url + ")");
    }
}
