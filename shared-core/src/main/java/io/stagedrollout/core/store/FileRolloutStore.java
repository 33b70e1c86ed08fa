package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: one directory per rollout key under a root ({@code <root>/<service>/<environment>/}).
 *
 * <p>A commit, under a lock that serialises writers in this JVM and across processes: (1) drop journal lines of
 * revisions that never committed (a crash between steps 2 and 3) and any torn last line; (2) append the events,
 * each tagged with the new revision, and fsync; (3) write the state to a temporary file, fsync, rename it over
 * {@code state.json} atomically, fsync the directory. A crash anywhere leaves the old or the new state, and readers
 * ignore journal lines newer than the state, so the journal shows exactly the committed events.
 */
public final class FileRolloutStore implements RolloutStore {
    private static final String STATE = "state.json";
    private static final String JOURNAL = "journal.jsonl";
    static final String LOCK = ".lock"; // lease: shared with FileLeases
    static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>(); // lease: shared with FileLeases

    private final Path root;

    public FileRolloutStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return "file store at " + root;
    }

    Path dir(RolloutKey key) {
        // RolloutKey's parts cannot contain '/', '..' or NUL, so this cannot leave the root; checked again anyway
        Path d = root.resolve(key.service()).resolve(key.environment()).normalize();
        if (!d.startsWith(root) || d.equals(root)) throw new IllegalArgumentException("key " + key + " leaves the state directory");
        return d;
    }

    @Override
    public Optional<RolloutState> read(RolloutKey key) throws StoreException {
        Path f = dir(key).resolve(STATE);
        try {
            return Optional.of(StateJson.readState(Files.readString(f, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StoreException("cannot read the state of " + key + " from " + f + ": " + e.getMessage(), e);
        }
    }

    // lease: the driver leases live in their own file beside the state (FileLeases), under the same key lock
    @Override
    public RolloutLeases leases() {
        return new FileLeases(this);
    }

    @Override
    public void commit(RolloutKey key, long expectedRevision, RolloutState state, List<RolloutEvent> events, Fence fence)
            throws ConflictException, RolloutLeases.LeaseLostException, StoreException {
        if (state.revision() != expectedRevision + 1) {
            throw new IllegalArgumentException("state revision " + state.revision() + " does not follow " + expectedRevision);
        }
        Path d = dir(key);
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(d, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(d);
            try (FileChannel lockChannel = FileChannel.open(d.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockChannel.lock()) {
                FileLeases.checkFence(d, key, fence); // lease: a stale driver's commit is refused atomically
                long actual = read(key).map(RolloutState::revision).orElse(0L);
                if (actual != expectedRevision) throw new ConflictException(key, expectedRevision, actual);
                Path journal = d.resolve(JOURNAL);
                truncateUncommitted(journal, actual);
                appendEvents(journal, state.revision(), events);
                writeState(d, state);
            }
        } catch (IOException e) {
            throw new StoreException("cannot commit " + key + " to " + d + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private static void appendEvents(Path journal, long revision, List<RolloutEvent> events) throws IOException {
        if (events.isEmpty()) return;
        StringBuilder sb = new StringBuilder();
        for (RolloutEvent e : events) {
            sb.append(StateJson.write(e.withRevision(revision))).append('\n');
        }
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
    }

    private static void writeState(Path d, RolloutState state) throws IOException {
        Path tmp = d.resolve(STATE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(StateJson.write(state).getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        try {
            Files.move(tmp, d.resolve(STATE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + d + " cannot rename atomically; use another state directory", e);
        }
        try (FileChannel dirChannel = FileChannel.open(d, StandardOpenOption.READ)) {
            dirChannel.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }

    /** Cuts the journal back to the end of the last line whose revision is committed (at most {@code committed}). */
    private static void truncateUncommitted(Path journal, long committed) throws IOException {
        if (!Files.exists(journal)) return;
        if (lastLineIsCommitted(journal, committed)) return; // the usual case: no crash left anything behind
        long keep = validPrefix(journal, committed);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            if (ch.size() > keep) {
                ch.truncate(keep);
                ch.force(true);
            }
        }
    }

    /**
     * Whether the journal ends with a whole line of a committed revision, read from the end only, so that a commit
     * costs the same however long the journal is. Anything else (a torn line, a revision that never committed, a
     * line longer than the tail read) falls back to the full scan.
     */
    private static boolean lastLineIsCommitted(Path journal, long committed) throws IOException {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0) return true;
            int n = (int) Math.min(size, 256 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(n);
            long pos = size - n;
            while (buf.hasRemaining()) {
                int r = ch.read(buf, pos + buf.position());
                if (r < 0) break;
            }
            byte[] tail = buf.array();
            if (tail[n - 1] != '\n') return false;
            int start = n - 2;
            while (start >= 0 && tail[start] != '\n') start--;
            if (start < 0 && pos > 0) return false;
            try {
                return StateJson.readEvent(new String(tail, start + 1, n - 2 - start, StandardCharsets.UTF_8)).revision() <= committed;
            } catch (IOException e) {
                return false;
            }
        }
    }

    private static long validPrefix(Path journal, long committed) throws IOException {
        byte[] bytes = Files.readAllBytes(journal);
        long keep = 0;
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != '\n') continue;
            String line = new String(bytes, start, i - start, StandardCharsets.UTF_8);
            RolloutEvent e;
            try {
                e = StateJson.readEvent(line);
            } catch (IOException ex) {
                break;
            }
            if (e.revision() > committed) break;
            keep = i + 1;
            start = i + 1;
        }
        return keep;
    }

    @Override
    public List<RolloutState> list() throws StoreException {
        List<RolloutState> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (DirectoryStream<Path> services = Files.newDirectoryStream(root, Files::isDirectory)) {
            List<Path> sorted = new ArrayList<>();
            services.forEach(sorted::add);
            sorted.sort(null);
            for (Path s : sorted) {
                if (!RolloutKey.validPart(s.getFileName().toString())) continue;
                List<Path> envs = new ArrayList<>();
                try (DirectoryStream<Path> es = Files.newDirectoryStream(s, Files::isDirectory)) {
                    es.forEach(envs::add);
                }
                envs.sort(null);
                for (Path e : envs) {
                    if (!RolloutKey.validPart(e.getFileName().toString())) continue;
                    read(new RolloutKey(s.getFileName().toString(), e.getFileName().toString())).ifPresent(out::add);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list rollouts in " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<RolloutEvent> history(RolloutKey key) throws StoreException {
        Optional<RolloutState> state = read(key);
        if (state.isEmpty()) return List.of();
        long committed = state.get().revision();
        Path journal = dir(key).resolve(JOURNAL);
        List<RolloutEvent> out = new ArrayList<>();
        try {
            if (!Files.exists(journal)) return out;
            for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
                RolloutEvent e;
                try {
                    e = StateJson.readEvent(line);
                } catch (IOException torn) {
                    break; // a torn last line from a crash mid-append: it never committed
                }
                if (e.revision() > committed) break;
                out.add(e);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the journal of " + key + ": " + e.getMessage(), e);
        }
        return out;
    }
}
