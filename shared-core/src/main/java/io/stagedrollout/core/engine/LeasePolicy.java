package io.stagedrollout.core.engine;

import io.stagedrollout.core.plan.Durations;
import java.time.Duration;
import java.util.Map;

/**
 * How a driver holds a key's lease.
 *
 * @param ttl          how long a lease lasts unless renewed (renewed every third of it); a crashed driver's lease on
 *                     another machine lapses after at most this long ({@code ROLLOUT_LEASE_TTL}, default 30s)
 * @param leaseWait         how long a second driver waits for the lease before it gives up with a conflict (default 60s)
 * @param rollbackWait how long a rollback waits for the driver holding the lease to run the revert itself (default 10m)
 * @param stopGrace    how long an effect's processes get after SIGTERM before SIGKILL (default 10s)
 */
public record LeasePolicy(Duration ttl, Duration leaseWait, Duration rollbackWait, Duration stopGrace) {
    public static final LeasePolicy DEFAULT = new LeasePolicy(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofMinutes(10), Duration.ofSeconds(10));

    public LeasePolicy {
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("a lease lasts at least 1s");
    }

    /** The defaults, with {@code ROLLOUT_LEASE_TTL} and {@code ROLLOUT_STOP_GRACE} from the environment when set. */
    public static LeasePolicy fromEnvironment(Map<String, String> env) {
        LeasePolicy p = DEFAULT;
        String ttl = env.get("ROLLOUT_LEASE_TTL");
        if (ttl != null && !ttl.isBlank()) {
            Duration d = Durations.parse(ttl.strip()).filter(x -> x.compareTo(Duration.ofSeconds(1)) >= 0).orElseThrow(() ->
                    new IllegalArgumentException("ROLLOUT_LEASE_TTL '" + ttl + "' is not a duration of at least 1s (30s, 2m)"));
            p = p.withTtl(d);
        }
        String grace = env.get("ROLLOUT_STOP_GRACE");
        if (grace != null && !grace.isBlank()) {
            Duration d = Durations.parse(grace.strip()).orElseThrow(() ->
                    new IllegalArgumentException("ROLLOUT_STOP_GRACE '" + grace + "' is not a duration (10s, 1m)"));
            p = new LeasePolicy(p.ttl(), p.leaseWait(), p.rollbackWait(), d);
        }
        return p;
    }

    public LeasePolicy withTtl(Duration d) {
        return new LeasePolicy(d, leaseWait, rollbackWait, stopGrace);
    }

    public LeasePolicy withLeaseWait(Duration d) {
        return new LeasePolicy(ttl, d, rollbackWait, stopGrace);
    }

    public LeasePolicy withRollbackWait(Duration d) {
        return new LeasePolicy(ttl, leaseWait, d, stopGrace);
    }

    Duration renewEvery() {
        return ttl.dividedBy(3);
    }
}
