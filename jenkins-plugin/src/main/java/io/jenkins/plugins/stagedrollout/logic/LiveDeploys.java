package io.jenkins.plugins.stagedrollout.logic;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ring deploys running on this controller right now: which {@code canaryStage} body deploys which ring of which
 * rollout. A ring the store shows DEPLOYING is being deployed when a live stage is registered for it here; otherwise
 * the build that deployed it was stopped or died, and the next stage deploys it again. Entries are registered when a
 * body starts (and again when a build resumes after a restart) and removed when the body ends.
 *
 * <p>A deploy by another controller or the CLI is seen through the key's driver lease instead (DESIGN.md "Drivers,
 * leases and fencing"; see {@code RolloutService.deployInFlight}).
 */
public final class LiveDeploys {
    private record Deploy(String rollout, String rolloutId, int ringIndex) {}

    private final Map<String, Deploy> byToken = new ConcurrentHashMap<>();

    /** {@code token} (a stage execution's id) deploys ring {@code ringIndex} of rollout {@code rolloutId}. */
    public void register(String token, String rollout, String rolloutId, int ringIndex) {
        byToken.put(token, new Deploy(rollout, rolloutId, ringIndex));
    }

    public void unregister(String token) {
        byToken.remove(token);
    }

    /** Whether a stage other than {@code except} deploys that ring now. */
    public boolean deploying(String rollout, String rolloutId, int ringIndex, String except) {
        for (Map.Entry<String, Deploy> e : byToken.entrySet()) {
            if (e.getKey().equals(except)) continue;
            Deploy d = e.getValue();
            if (d.rollout().equals(rollout) && d.rolloutId().equals(rolloutId) && d.ringIndex() == ringIndex) return true;
        }
        return false;
    }
}
