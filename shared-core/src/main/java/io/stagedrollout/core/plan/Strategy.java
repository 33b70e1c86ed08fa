package io.stagedrollout.core.plan;

/** How a plan describes its rings. {@code canary}, {@code percentage} and {@code bigbang} expand to rings. */
public enum Strategy {
    RINGS, CANARY, PERCENTAGE, BIGBANG;

    public String yamlName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
