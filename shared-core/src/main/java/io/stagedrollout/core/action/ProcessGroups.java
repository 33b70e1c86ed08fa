package io.stagedrollout.core.action;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Process groups for the programs gates and actions run, so that nothing they start outlives them.
 *
 * <p>Java 17 cannot call setsid(2) or setpgid(2) for a child, so a program is started through two small tools that
 * are part of every Debian and Ubuntu base system: {@code setsid} (util-linux) gives it a new session and process
 * group whose id is its pid, and {@code timeout} (coreutils) inside that group ends the whole group when the time
 * limit runs out — SIGTERM, then SIGKILL after the grace period — even when the driver itself was SIGKILLed. Every
 * process also carries {@link ProcessControl#TAG_VARIABLE} in its environment, so one that left the group (a daemon
 * that called setsid itself) is still found through {@code /proc}, as is an orphan of a crashed driver.
 *
 * <p>Where {@code setsid} is missing (macOS, minimal images), programs run in the driver's group: they are ended
 * through their process tree and their tag, and a child that detaches from both can survive; {@link #describe()}
 * says which mode is in use. Where {@code timeout} is missing, the time limit is enforced by the driver alone.
 */
public final class ProcessGroups {
    static final Path SETSID = firstExecutable("/usr/bin/setsid", "/bin/setsid");
    static final Path TIMEOUT = firstExecutable("/usr/bin/timeout", "/bin/timeout");
    static final Path KILL = firstExecutable("/bin/kill", "/usr/bin/kill");
    static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));
    private static final long SELF = ProcessHandle.current().pid();
    /** When this JVM started, in clock ticks since boot; every process it starts is as young or younger. */
    static final long SELF_START = PROC ? startOf(SELF) : 0;

    private ProcessGroups() {}

    private static Path firstExecutable(String... candidates) {
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Whether programs get their own process group here (setsid is present). */
    public static boolean available() {
        return SETSID != null;
    }

    /** One line on how programs are contained on this machine, for `rollout plan` and the docs. */
    public static String describe() {
        if (SETSID == null) {
            return "setsid is not installed: programs run in the driver's process group and are ended through their "
                    + "process tree and ROLLOUT_EFFECT tag; a child that detaches itself can outlive them";
        }
        return "programs run in their own process group (setsid)" + (TIMEOUT == null
                ? "; timeout is not installed, so only the driver enforces time limits"
                : " under timeout, which ends the group at its time limit even if the driver dies");
    }

    /** The command line that runs {@code command} in its own process group, ended at {@code limit} (+{@code grace}). */
    static List<String> wrap(List<String> command, Duration limit, Duration grace) {
        List<String> out = new ArrayList<>();
        if (SETSID != null) out.add(SETSID.toString());
        if (SETSID != null && TIMEOUT != null) {
            out.add(TIMEOUT.toString());
            out.add("--kill-after=" + seconds(grace));
            out.add(seconds(limit));
        }
        out.addAll(command);
        return out;
    }

    /** "1.500s": `timeout`'s form. Not String.format: its first use loads locale data, ~8 ms of every `advance`. */
    static String seconds(Duration d) {
        long ms = Math.max(1, d.toMillis());
        return ms / 1000 + "." + Long.toString(1000 + ms % 1000).substring(1) + "s";
    }

    /** Whether {@code exitCode} of a wrapped program means `timeout` ended it at its limit. */
    static boolean timedOut(int exitCode) {
        return SETSID != null && TIMEOUT != null && (exitCode == 124 || exitCode == 137);
    }

    /**
     * Ends group {@code pgid} (when it is a group of its own) and every process tagged {@code tag}: SIGTERM, up to
     * {@code grace} for them to go, then SIGKILL. Returns how many processes were still running. Never signals this
     * JVM or its own group. Interrupts are not honoured while it waits: ending what was started comes first.
     */
    public static int end(long pgid, String tag, Duration grace) {
        return end(pgid, t -> t.equals(tag), grace);
    }

    /** As {@link #end(long, String, Duration)} for every process whose tag matches (leftovers of a crashed driver). */
    public static int end(long pgid, Predicate<String> tag, Duration grace) {
        return end(pgid, tag, grace, 0);
    }

    /**
     * As {@link #end(long, String, Duration)} for a program this JVM started: only processes younger than this JVM
     * can be its leftovers, so the environment (the tag) of the older ones — most of a machine's — is not read. That
     * read made each sweep cost ~11 ms with 70 processes (BENCHMARKS.md, "CLI start-up, fourth round").
     */
    static int endStartedHere(long pgid, String tag, Duration grace) {
        return end(pgid, t -> t.equals(tag), grace, SELF_START);
    }

    private static int end(long pgid, Predicate<String> tag, Duration grace, long notBefore) {
        boolean interrupted = Thread.interrupted(); // restored below: ending what was started comes first
        try {
            return endAll(pgid, tag, grace, notBefore);
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    private static int endAll(long pgid, Predicate<String> tag, Duration grace, long notBefore) {
        Set<Long> first = members(pgid, tag, notBefore);
        if (first.isEmpty()) return 0;
        signal(pgid, first, "TERM");
        long deadline = System.nanoTime() + grace.toNanos();
        Set<Long> left = first;
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            pause(50);
            left = members(pgid, tag, notBefore);
        }
        if (!left.isEmpty()) {
            signal(pgid, left, "KILL");
            long killDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!members(pgid, tag, notBefore).isEmpty() && System.nanoTime() < killDeadline) pause(20);
        }
        return first.size();
    }

    /** Whether any process of group {@code pgid} or tagged as {@code tag} still runs (zombies do not count). */
    public static boolean anyRunning(long pgid, Predicate<String> tag) {
        return !members(pgid, tag, 0).isEmpty();
    }

    private static void signal(long pgid, Set<Long> pids, String sig) {
        if (ownGroup(pgid) && KILL != null) {
            try {
                // the kernel signals the whole group at once, including children forked meanwhile
                new ProcessBuilder(KILL.toString(), "-s", sig, "--", "-" + pgid).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                // fall through to the processes one by one
            }
        }
        for (long pid : pids) {
            if (pid == SELF) continue;
            ProcessHandle.of(pid).ifPresent(h -> {
                if (sig.equals("KILL")) h.destroyForcibly();
                else h.destroy();
            });
        }
    }

    /** Whether {@code pgid} is a process group of its own (its leader's pid), and not this JVM's group. */
    private static boolean ownGroup(long pgid) {
        return pgid > 1 && (!PROC || pgid != groupOf(SELF));
    }

    /**
     * Live processes (not zombies) in group {@code pgid} or whose ROLLOUT_EFFECT tag matches; never this JVM. A
     * process that started before {@code notBefore} (clock ticks since boot) is only looked at for its group.
     */
    static Set<Long> members(long pgid, Predicate<String> tag, long notBefore) {
        Set<Long> out = new HashSet<>();
        if (!PROC) {
            if (pgid > 0) ProcessHandle.of(pgid).filter(ProcessHandle::isAlive).ifPresent(h -> {
                out.add(h.pid());
                h.descendants().forEach(d -> out.add(d.pid()));
            });
            return out;
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> isNumber(p.getFileName().toString()))) {
            for (Path p : procs) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid == SELF) continue;
                Stat stat = stat(pid);
                if (stat == null || stat.state() == 'Z' || stat.state() == 'X') continue;
                boolean inGroup = pgid > 1 && stat.group() == pgid;
                boolean young = notBefore <= 0 || stat.start() >= notBefore;
                if (inGroup || (young && tagMatches(pid, tag))) out.add(pid);
            }
        } catch (IOException e) {
            // /proc vanished under us: nothing more to find
        }
        return out;
    }

    private static boolean isNumber(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i))) return false;
        return true;
    }

    /** What a sweep reads of /proc/PID/stat: the state, the process group, the start time (ticks since boot). */
    private record Stat(char state, long group, long start) {}

    /**
     * The fields of /proc/PID/stat a sweep needs, or null when the process is gone. Read as bytes and picked out by
     * position rather than split into its 50 fields: a sweep reads this for every process of the machine.
     */
    private static Stat stat(long pid) {
        byte[] b;
        try {
            b = Files.readAllBytes(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int i = b.length - 1;
        while (i >= 0 && b[i] != ')') i--; // the command name may itself hold ')' and spaces
        if (i < 0 || i + 2 >= b.length) return null;
        char state = (char) b[i + 2];
        long group = -1;
        long start = 0;
        int field = 3; // the state is field 3
        for (int j = i + 2; j < b.length && field <= 22; j++) {
            if (b[j] != ' ') continue;
            field++;
            if (field == 5) group = number(b, j + 1);
            else if (field == 22) start = number(b, j + 1);
        }
        return field < 22 ? null : new Stat(state, group, start);
    }

    private static long number(byte[] b, int from) {
        long n = 0;
        boolean negative = from < b.length && b[from] == '-';
        for (int k = negative ? from + 1 : from; k < b.length && b[k] >= '0' && b[k] <= '9'; k++) n = n * 10 + (b[k] - '0');
        return negative ? -n : n;
    }

    /** A process's start time in clock ticks since boot (/proc/PID/stat field 22); 0 when unknown. */
    private static long startOf(long pid) {
        Stat stat = stat(pid);
        return stat == null ? 0 : stat.start();
    }

    private static long groupOf(long pid) {
        Stat stat = stat(pid);
        return stat == null ? -1 : stat.group();
    }

    private static final byte[] TAG_PREFIX = (ProcessControl.TAG_VARIABLE + "=").getBytes(StandardCharsets.UTF_8);

    private static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int k = 0; k < prefix.length; k++) if (b[from + k] != prefix[k]) return false;
        return true;
    }

    private static boolean tagMatches(long pid, Predicate<String> tag) {
        if (tag == null) return false;
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
        } catch (IOException | RuntimeException e) {
            return false; // gone, or another user's process: not ours
        }
        int start = 0;
        for (int i = 0; i <= env.length; i++) {
            if (i == env.length || env[i] == 0) {
                // only the tag's entry is decoded: a sweep reads the environment of many processes
                if (startsWith(env, start, i, TAG_PREFIX)
                        && tag.test(new String(env, start + TAG_PREFIX.length, i - start - TAG_PREFIX.length, StandardCharsets.UTF_8))) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    private static void pause(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        long left;
        while ((left = until - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(left);
    }
}
