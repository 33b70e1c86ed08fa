package io.stagedrollout.core.store;

/**
 * The process that holds a lease. {@code machine} identifies the host and the PID namespace it runs in (boot id
 * and namespace, when the system says), so that a driver on the same machine can tell a crashed holder (its process
 * is gone) from a live one and take its lease over at once, instead of waiting for it to lapse.
 *
 * @param what         what drives: "rollout run (alice)", "jenkins canaryStage (build #12)"
 * @param host         the host name, for people
 * @param machine      host + boot + PID namespace identity, or null when unknown (then only expiry frees the lease)
 * @param pid          the holder's process id
 * @param processStart when that process started (ISO-8601), so a reused PID is not taken for the holder
 * @param session      unique per driver session (two engines in one process are two holders)
 */
public record LeaseHolder(String what, String host, String machine, long pid, String processStart, String session) {
    public String describe() {
        return what + " (pid " + pid + " on " + host + ")";
    }
}
