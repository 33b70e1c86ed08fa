package io.stagedrollout.cli;

import io.stagedrollout.core.engine.LeasePolicy;
import io.stagedrollout.core.plan.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How a driving command (run, advance, rollback's revert) waits for the key's lease when another driver holds it.
 * The lease's time to live comes from {@code ROLLOUT_LEASE_TTL} (default 30s), the SIGTERM-to-SIGKILL grace for
 * effects from {@code ROLLOUT_STOP_GRACE} (default 10s).
 */
final class DriverOptions {
    String leaseWait;

    void declare(CommandModel m) {
        m.option("--lease-wait", "DURATION", "How long to wait while another driver "
                + "holds the rollout's lease before giving up with exit 5 (default 60s; for rollback: how long to wait for "
                + "that driver to run the revert itself, default 10m). 0s refuses at once.").toText(v -> leaseWait = v);
    }

    LeasePolicy policy(Map<String, String> env, boolean rollback) throws Base.Invalid {
        LeasePolicy p;
        try {
            p = LeasePolicy.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new Base.Invalid(e.getMessage());
        }
        if (leaseWait == null) return p;
        Duration d = Durations.parse(leaseWait.strip())
                .orElseThrow(() -> new Base.Invalid("--lease-wait '" + leaseWait + "' is not a duration (0s, 30s, 10m)"));
        return rollback ? p.withRollbackWait(d) : p.withLeaseWait(d);
    }
}
