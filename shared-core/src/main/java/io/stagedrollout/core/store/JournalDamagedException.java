package io.stagedrollout.core.store;

import java.nio.file.Path;

/** A journal line that is not what was committed: reported with its line number, never silently dropped. */
public final class JournalDamagedException extends RolloutStore.StoreException {
    private final long line;

    JournalDamagedException(Path journal, long line, String what) {
        super("journal damaged " + (line > 0 ? "at line " + line + " of " : "(") + journal + (line > 0 ? "" : ")") + ": " + what + "; nothing was changed"
                + " (`rollout store check` explains, `rollout store repair` keeps a copy and fixes what it can)");
        this.line = line;
    }

    /** The damaged line, counted from 1 (0 when the damage is not one line's: the file is missing or cut short). */
    public long line() {
        return line;
    }
}
