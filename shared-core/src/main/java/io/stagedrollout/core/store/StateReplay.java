package io.stagedrollout.core.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Follows the journal's lines to the state of the last one: each line holds its state, without the plan when the
 * plan did not change, so the replay carries the last plan it saw forward. Past a line a repair put in place of
 * damaged ones, the plan carries over only within the same rollout (a rollout keeps its plan; the damaged lines may
 * have started another).
 */
final class StateReplay implements JournalScanner.Visitor {
    private JsonNode plan;
    private String planRollout;
    private boolean afterRepair;
    private long repairLine = -1;
    private ObjectNode last;
    private Long lastRev;

    /** Starts after a known state (a state file behind the journal): its plan is the one in force. */
    StateReplay(RolloutState known) {
        if (known != null) {
            plan = StateJson.MAPPER.valueToTree(known.plan());
            planRollout = known.id();
        }
    }

    @Override
    public boolean wantsStates() {
        return true;
    }

    @Override
    public void entry(long line, Journal.Entry e) {
        if (e.state() == null) {
            if (e.isRepair()) {
                afterRepair = true;
                repairLine = line;
            }
            return;
        }
        ObjectNode s = e.state();
        String id = s.path("id").asText(null);
        if (s.hasNonNull("plan")) {
            plan = s.get("plan");
            planRollout = id;
            afterRepair = false;
        } else if (plan != null && (!afterRepair || Objects.equals(id, planRollout))) {
            s.set("plan", plan);
            afterRepair = false;
        } else {
            plan = null;
        }
        last = s;
        lastRev = e.rev();
    }

    boolean found() {
        return last != null;
    }

    Long revision() {
        return lastRev;
    }

    /** The last line's state, validated; the message names the journal when its plan is unknown. */
    RolloutState state(Path journal, RolloutKey key) throws StoreException {
        if (last == null) return null;
        if (!last.hasNonNull("plan")) {
            throw new StoreException("cannot rebuild the state of " + key + " from " + journal + ": its plan was in a line that "
                    + (repairLine > 0 ? "a repair replaced (line " + repairLine + ")" : "is not in the journal")
                    + "; restore state.json from a backup");
        }
        return StateFile.state(last, key, what -> new StoreException("the state in the last line of " + journal
                + " is not valid: " + what + "; restore state.json from a backup"));
    }
}
