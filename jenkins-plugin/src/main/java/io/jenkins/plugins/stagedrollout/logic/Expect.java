package io.jenkins.plugins.stagedrollout.logic;

import io.stagedrollout.core.machine.RolloutState;

/**
 * The id-bound form of a command: act only when the key's current rollout is {@code rolloutId} (and/or of
 * {@code version}); otherwise refuse naming both rollouts and change nothing. A command from an old build or an old
 * notice never reaches the key's newer rollout. Both null: any rollout (the unbound form).
 */
public record Expect(String rolloutId, String version) {
    public static final Expect ANY = new Expect(null, null);

    public Expect {
        rolloutId = blankToNull(rolloutId);
        version = blankToNull(version);
    }

    public static Expect rollout(String rolloutId) {
        return new Expect(rolloutId, null);
    }

    public boolean bound() {
        return rolloutId != null || version != null;
    }

    /**
     * @throws StageException CONFLICT naming the expected and the current rollout when they differ; NOT_FOUND when the
     *     key has no rollout but one was expected
     */
    public void check(String key, RolloutState current, String what) throws StageException {
        if (!bound()) return;
        if (current == null) {
            throw new StageException(StageException.Reason.NOT_FOUND, "cannot " + what + ": " + describe()
                    + " was expected, but " + key + " has no rollout; nothing changed");
        }
        boolean idDiffers = rolloutId != null && !rolloutId.equals(current.id());
        boolean versionDiffers = version != null && !version.equals(current.version());
        if (idDiffers || versionDiffers) {
            throw new StageException(StageException.Reason.CONFLICT, "cannot " + what + ": " + describe()
                    + " was expected, but the current rollout of " + key + " is " + current.id() + " of "
                    + current.version() + " (" + current.status() + "); nothing changed");
        }
    }

    /** "rollout r-1a2b3c4d of v2", "rollout r-1a2b3c4d", "a rollout of v2". */
    public String describe() {
        if (rolloutId != null) return "rollout " + rolloutId + (version == null ? "" : " of " + version);
        return version == null ? "any rollout" : "a rollout of " + version;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
