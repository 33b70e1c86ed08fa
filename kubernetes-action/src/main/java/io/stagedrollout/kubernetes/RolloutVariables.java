package io.stagedrollout.kubernetes;

import io.stagedrollout.core.action.ActionRequest;
import java.util.Optional;

/** The ROLLOUT_* values this action reads from a request. */
record RolloutVariables(double percent, Optional<String> version, Optional<String> revertingVersion) {

    static RolloutVariables of(ActionRequest request) {
        String raw = request.variables().get("ROLLOUT_PERCENT");
        double percent;
        if (raw == null || raw.isBlank()) {
            // a revert needs no exposure: it puts everything back on the stable version
            if (request.operation() == io.stagedrollout.core.action.Operation.REVERT) {
                percent = 0;
            } else {
                throw new ActionFailure("ROLLOUT_PERCENT is not set; the kubernetes action needs the ring's exposure");
            }
        } else {
            try {
                percent = Double.parseDouble(raw.trim().replace("%", ""));
            } catch (NumberFormatException e) {
                throw new ActionFailure("ROLLOUT_PERCENT '" + raw + "' is not a number");
            }
            if (!(percent >= 0 && percent <= 100)) {
                throw new ActionFailure("ROLLOUT_PERCENT " + raw + " is not from 0 to 100");
            }
        }
        return new RolloutVariables(percent, value(request, "ROLLOUT_VERSION"), value(request, "ROLLOUT_REVERTING_VERSION"));
    }

    private static Optional<String> value(ActionRequest request, String name) {
        return Optional.ofNullable(request.variables().get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    String requireVersion() {
        return version.orElseThrow(() -> new ActionFailure(
                "ROLLOUT_VERSION is not set; the kubernetes action needs it for the image"));
    }
}
