package io.stagedrollout.core.machine;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a key's whole journal says about versions, for starting the next rollout: how each version's latest rollout
 * ended, and the stable version.
 *
 * <p><b>The stable version</b> (the one a rollback returns to) is the last version on the key that COMPLETED and was
 * not rolled back afterwards (a rollback after completion, even one whose revert failed, disqualifies it). When no
 * version ever completed, it is the stable version the key's latest rollout was given ({@code --stable-version}), so a
 * declared version carries over; otherwise it is unknown. {@code --stable-version} overrides it for one rollout.
 *
 * @param outcomes the status each version's latest rollout ended in, by {@link Versions#normalise normalised}
 *                 version ({@code ROLLED_BACK} also for a version rolled back after it completed); active rollouts
 *                 are not in it
 * @param rollouts the id of each version's latest rollout, by normalised version
 */
public record KeyHistory(Map<String, Status> outcomes, Map<String, String> rollouts, String stableVersion) {
    public static final KeyHistory EMPTY = new KeyHistory(Map.of(), Map.of(), null);

    public KeyHistory {
        outcomes = Map.copyOf(outcomes);
        rollouts = Map.copyOf(rollouts);
    }

    /** Reads the key's journal, oldest event first. */
    public static KeyHistory of(List<RolloutEvent> journal) {
        Map<String, String> versionOf = new HashMap<>();      // rollout id -> version
        Map<String, String> declaredStable = new HashMap<>(); // rollout id -> stable version given at start
        Map<String, Status> ended = new LinkedHashMap<>();    // rollout id -> terminal status, latest first wins
        Map<String, Boolean> completed = new HashMap<>();
        Map<String, Boolean> rolledBackAfterCompletion = new HashMap<>();
        Map<String, String> latestByVersion = new HashMap<>();
        String latestRollout = null;
        for (RolloutEvent e : journal) {
            String id = e.rolloutId();
            if (id == null) continue;
            switch (e.type()) {
                case EventType.STARTED -> {
                    Object v = e.evidence().get("version");
                    if (v == null) continue;
                    versionOf.put(id, String.valueOf(v));
                    Object st = e.evidence().get("stableVersion");
                    if (st != null) declaredStable.put(id, String.valueOf(st));
                    latestByVersion.put(Versions.normalise(String.valueOf(v)), id);
                    latestRollout = id;
                }
                case EventType.COMPLETED -> completed.put(id, true);
                case EventType.ROLLBACK_STARTED -> {
                    if (completed.getOrDefault(id, false)) rolledBackAfterCompletion.put(id, true);
                }
                default -> { }
            }
            if (e.to() != null && e.to().isTerminal()) ended.put(id, e.to());
            else if (e.to() != null) ended.remove(id);
        }
        Map<String, Status> outcomes = new HashMap<>();
        latestByVersion.forEach((version, id) -> {
            Status s = ended.get(id);
            if (s == null) return;
            outcomes.put(version, s == Status.COMPLETED && rolledBackAfterCompletion.getOrDefault(id, false) ? Status.ROLLED_BACK : s);
        });
        // the last completion not rolled back afterwards, walking back through the completions in order
        String stable = null;
        for (int i = journal.size() - 1; i >= 0; i--) {
            RolloutEvent e = journal.get(i);
            if (EventType.COMPLETED.equals(e.type()) && e.rolloutId() != null
                    && !rolledBackAfterCompletion.getOrDefault(e.rolloutId(), false) && versionOf.containsKey(e.rolloutId())) {
                stable = versionOf.get(e.rolloutId());
                break;
            }
        }
        if (stable == null && latestRollout != null) stable = declaredStable.get(latestRollout);
        return new KeyHistory(outcomes, latestByVersion, stable);
    }

    /** How {@code version}'s latest rollout on the key ended, or null (never rolled out, or still active). */
    public Status outcome(String version) {
        return outcomes.get(Versions.normalise(version));
    }

    /** The id of {@code version}'s latest rollout on the key, or null. */
    public String rolloutOf(String version) {
        return rollouts.get(Versions.normalise(version));
    }
}
