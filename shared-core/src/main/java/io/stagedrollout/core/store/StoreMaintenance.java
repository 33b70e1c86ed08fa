package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.Actor;
import java.time.Instant;
import java.util.List;

/**
 * Checking and repairing what a store holds ({@code rollout store check|repair}). A store implements it when it can
 * be damaged from outside (files edited, truncated, bytes flipped, links planted, rows edited by hand).
 */
public interface StoreMaintenance {

    /** What is wrong with every key ({@code key} null) or with one, without changing anything. */
    List<KeyHealth> check(RolloutKey key) throws RolloutStore.StoreException;

    /**
     * Fixes what can be fixed without losing a committed event, and says what it did and what it could not do.
     * Whatever it replaces is kept first (a damaged journal is copied byte for byte beside it). {@code by} and
     * {@code now} stamp the journal lines it writes in place of damaged ones.
     */
    List<KeyHealth> repair(RolloutKey key, Actor by, Instant now) throws RolloutStore.StoreException;

    /** One key's findings. {@code summary} says where the key stands ("revision 14, 14 lines"). */
    record KeyHealth(String key, String summary, List<Finding> findings) {
        public KeyHealth {
            findings = List.copyOf(findings);
        }

        /** True when nothing is left to fix (findings that were repaired do not count). */
        public boolean healthy() {
            return findings.stream().allMatch(f -> f.fixed());
        }
    }

    /**
     * One problem. {@code line} is the journal line (from 1), or 0 when the problem is not a line's. {@code remedy}
     * says what {@code repair} does (or did) about it, or why it cannot; {@code fixed} is true once it was repaired.
     */
    record Finding(String file, long line, String problem, String remedy, boolean fixed) {
        public Finding withFixed(String what) {
            return new Finding(file, line, problem, what, true);
        }
    }
}
