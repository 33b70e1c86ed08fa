package io.stagedrollout.cli.ci;

import java.util.List;

/**
 * Whether a ring's job may run {@code advance}: the CLI's advance deploys whatever ring is next, so the job of ring
 * X checks first that X is that ring. A retried job of a ring that already passed is answered "already done"
 * instead of deploying the ring after it; a job run out of order is refused.
 */
final class ExpectedRing {
    enum Decision { PROCEED, ALREADY_DONE, OUT_OF_ORDER, UNKNOWN_RING }

    record Check(Decision decision, String message) {}

    private ExpectedRing() {}

    static Check check(CliResult.Rollout r, String expected) {
        if (r == null || expected == null || expected.isBlank() || r.ringNames().isEmpty()) {
            return new Check(Decision.PROCEED, null);
        }
        List<String> names = r.ringNames();
        int wanted = names.indexOf(expected);
        if (wanted < 0) {
            return new Check(Decision.UNKNOWN_RING, "ring '" + expected + "' is not in the rollout's plan (rings: "
                    + String.join(", ", names) + ")");
        }
        int index = r.ringIndex() == null ? -1 : r.ringIndex();
        String status = r.status() == null ? "" : r.status();
        int next;
        switch (status) {
            case "PENDING" -> next = 0;
            case "PROMOTING" -> next = index + 1;
            case "DEPLOYING", "BAKING", "AWAITING_APPROVAL", "ROLLING_BACK" -> next = index;
            case "COMPLETED" -> {
                return new Check(Decision.ALREADY_DONE, "ring " + expected + " already passed: the rollout of "
                        + r.version() + " completed");
            }
            default -> {
                return new Check(Decision.PROCEED, null); // rolled back, aborted, failed: the CLI says so
            }
        }
        if (next == wanted) return new Check(Decision.PROCEED, null);
        if (wanted < next) {
            return new Check(Decision.ALREADY_DONE, "ring " + expected + " already passed; the rollout's next ring is "
                    + (next < names.size() ? names.get(next) : "none"));
        }
        return new Check(Decision.OUT_OF_ORDER, "ring " + expected + " is not next: the rollout is " + status
                + " at ring " + (index < 0 ? "none" : names.get(Math.min(index, names.size() - 1)))
                + "; run the ring jobs in the plan's order");
    }
}
