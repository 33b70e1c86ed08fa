package io.stagedrollout.core.machine;

/**
 * The rollout a command is aimed at: its id and/or the version it rolls out. A command copied from an old notice or
 * run by an old CI job names the rollout it was meant for, so it can never act on the key's newer rollout. Both
 * null ({@link #ANY}) is the key-only form people type at a terminal: whatever rollout the key has now.
 */
public record Target(String rolloutId, String version) {
    public static final Target ANY = new Target(null, null);

    public Target {
        rolloutId = rolloutId == null || rolloutId.isBlank() ? null : rolloutId.strip();
        version = version == null || version.isBlank() ? null : version;
    }

    public static Target id(String rolloutId) {
        return new Target(rolloutId, null);
    }

    public boolean isAny() {
        return rolloutId == null && version == null;
    }

    /** Whether {@code s} is the rollout this target names. */
    public boolean matches(RolloutState s) {
        if (s == null) return isAny();
        if (rolloutId != null && !rolloutId.equals(s.id())) return false;
        return version == null || Versions.same(version, s.version());
    }

    /** "rollout r-1a2b3c4d (version 2.0.0)", for messages. */
    public String describe() {
        if (rolloutId != null && version != null) return "rollout " + rolloutId + " of version " + version;
        if (rolloutId != null) return "rollout " + rolloutId;
        return version == null ? "the current rollout" : "the rollout of version " + version;
    }
}
