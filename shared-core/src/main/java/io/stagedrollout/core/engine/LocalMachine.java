package io.stagedrollout.core.engine;

import io.stagedrollout.core.store.LeaseHolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

/**
 * This process and the machine it runs on, as lease holders see each other. Two holders are on the same machine when
 * their {@code machine} ids match: the Linux boot id and PID namespace, so a PID means the same process to both (two
 * containers sharing a volume but not a PID namespace are different machines). On the same machine a crashed holder
 * is recognised at once — its process is gone, or the PID now belongs to a process started later — and its lease is
 * taken over without waiting for it to lapse. Elsewhere only the lease's expiry frees it.
 */
public final class LocalMachine {
    private static final String MACHINE = machineId();
    private static final String HOST = hostName();

    private LocalMachine() {}

    /** The id of this machine and PID namespace, or null when the system does not say (then nothing is local). */
    public static String machine() {
        return MACHINE;
    }

    public static String host() {
        return HOST;
    }

    /** A holder for this process, new for each driver session. */
    public static LeaseHolder holder(String what) {
        ProcessHandle self = ProcessHandle.current();
        return new LeaseHolder(what, HOST, MACHINE, self.pid(), startOf(self).map(Instant::toString).orElse(null),
                UUID.randomUUID().toString());
    }

    /** Whether {@code machine} is this machine (same boot, same PID namespace). */
    public static boolean isLocal(String machine) {
        return MACHINE != null && MACHINE.equals(machine);
    }

    /**
     * Whether {@code h} is provably dead: on this machine, and its process is gone or is another process now (a PID
     * reused after the holder died). False whenever that cannot be known.
     */
    public static boolean isDead(LeaseHolder h) {
        if (h == null || !isLocal(h.machine())) return false;
        Optional<ProcessHandle> p = ProcessHandle.of(h.pid());
        if (p.isEmpty() || !p.get().isAlive() || zombie(h.pid())) return true;
        if (h.processStart() == null) return false;
        Optional<Instant> started = startOf(p.get());
        return started.isPresent() && !started.get().toString().equals(h.processStart());
    }

    private static Optional<Instant> startOf(ProcessHandle p) {
        // to the second: precise enough to tell a reused PID, and stable however often it is read
        return p.info().startInstant().map(i -> i.truncatedTo(ChronoUnit.SECONDS));
    }

    private static boolean zombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.ISO_8859_1);
            int close = stat.lastIndexOf(')');
            return close > 0 && stat.length() > close + 2 && (stat.charAt(close + 2) == 'Z' || stat.charAt(close + 2) == 'X');
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String machineId() {
        try {
            String boot = Files.readString(Path.of("/proc/sys/kernel/random/boot_id"), StandardCharsets.US_ASCII).trim();
            String pidns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            return boot.isEmpty() ? null : boot + "/" + pidns;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env.strip();
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (IOException ex) {
                return "unknown-host";
            }
        }
    }
}
