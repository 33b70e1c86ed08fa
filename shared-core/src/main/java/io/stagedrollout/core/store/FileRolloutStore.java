package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded default store: one directory per rollout key under a root ({@code <root>/<service>/<environment>/}).
 *
 * <p><b>The journal is the source of truth.</b> A commit, under a lock that serialises writers in this JVM and
 * across processes, appends one checksummed line holding the new revision, its state and its events to
 * {@code journal.jsonl} and fsyncs it: that is the commit. It then writes {@code state.json} (temporary file,
 * fsync, atomic rename) as a cache of that line's state, noting where the journal ended. A crash before the fsync
 * completes leaves at most a torn last line, which readers ignore and the next commit drops; a crash after it
 * leaves {@code state.json} behind the journal, and readers take the state from the journal's newer lines. Committed
 * lines are never cut: a damaged one is reported with its line number ({@link JournalDamagedException}), and
 * {@code rollout store repair} fixes what can be fixed ({@link FileStoreRepair}). See {@link Journal} for the line
 * format and {@link StateFile} for {@code state.json}; journals and state files of older releases are read as they
 * are and continued in the new format.
 *
 * <p>Nothing in the directory is opened through a symbolic link ({@link StoreFiles}); files are created 0600.
 */
public final class FileRolloutStore implements RolloutStore, StoreMaintenance {
    static final String TMP = "state.json.tmp";
    static final String LOCK = ".lock"; // shared with FileLeases
    static final ConcurrentHashMap<Path, ReentrantLock> LOCAL_LOCKS = new ConcurrentHashMap<>(); // shared with FileLeases

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

    /** The files of one key. */
    record KeyPaths(RolloutKey key, Path service, Path dir, Path state, Path tmp, Path journal, Path lock) {}

    Path dir(RolloutKey key) {
        return paths(key).dir();
    }

    KeyPaths paths(RolloutKey key) {
        // RolloutKey's parts cannot contain '/', '..' or NUL, so this cannot leave the root; checked again anyway
        Path s = root.resolve(key.service()).normalize();
        Path d = s.resolve(key.environment()).normalize();
        if (!d.startsWith(root) || d.equals(root) || !d.getParent().equals(s)) {
            throw new IllegalArgumentException("key " + key + " leaves the state directory");
        }
        return new KeyPaths(key, s, d, d.resolve(StateFile.NAME), d.resolve(TMP), d.resolve(Journal.FILE), d.resolve(LOCK));
    }

    /**
     * A key's committed state and where its journal's committed part ends.
     *
     * @param state       null when nothing was committed
     * @param journalSize the journal's length, -1 when there is none
     * @param end         where the next line goes: the journal's length less a torn or uncommitted tail
     * @param lines       lines before {@code end}, or -1 when not counted (an older release's journal, read only)
     * @param fileEnd     where the journal ended by {@code state.json}, or null (none, or an older release's)
     * @param legacy      {@code state.json} is an older release's, which it committed by renaming it last
     */
    record Loaded(RolloutState state, long journalSize, long end, long lines, StateFile.JournalEnd fileEnd, boolean legacy) {
        static final Loaded NONE = new Loaded(null, -1, 0, 0, null, false);
    }

    @Override
    public Optional<RolloutState> read(RolloutKey key) throws StoreException {
        return Optional.ofNullable(load(key, false).state());
    }

    Loaded load(RolloutKey key, boolean countLines) throws StoreException {
        KeyPaths p = paths(key);
        try {
            if (!StoreFiles.directory(p.service(), "service directory") || !StoreFiles.directory(p.dir(), "rollout's directory")) {
                return Loaded.NONE;
            }
            Optional<byte[]> bytes = StoreFiles.readBounded(p.state(), "state file", StoreFiles.MAX_RECORD_BYTES);
            StateFile sf = bytes.isPresent() ? StateFile.parse(bytes.get(), p.state(), key) : null;
            long size = StoreFiles.regularFile(p.journal(), "journal").map(BasicFileAttributes::size).orElse(-1L);
            if (sf != null && sf.journal() != null) return loadAfter(p, sf, size);
            if (sf != null) return loadLegacy(p, sf.state(), size, countLines);
            if (size < 0) return Loaded.NONE;
            return rebuild(p, size);
        } catch (IOException e) {
            throw new StoreException("cannot read rollout " + key + " in " + p.dir() + ": " + e.getMessage(), e);
        }
    }

    /** state.json of this release: the state, caught up with journal lines written after it. */
    private Loaded loadAfter(KeyPaths p, StateFile sf, long size) throws IOException, StoreException {
        StateFile.JournalEnd e = sf.journal();
        RolloutState s = sf.state();
        if (size == e.bytes()) return new Loaded(s, size, size, e.lines(), e, false);
        if (size < 0) {
            throw new JournalDamagedException(p.journal(), 0, "it is missing, but " + p.state() + " says it held " + e.lines()
                    + " lines up to revision " + s.revision());
        }
        if (size < e.bytes()) {
            throw new JournalDamagedException(p.journal(), 0, "it holds " + size + " bytes, but " + p.state() + " says its first "
                    + e.lines() + " lines (up to revision " + s.revision() + ") took " + e.bytes() + ": committed lines were cut off or the file replaced");
        }
        try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
            StateReplay replay = new StateReplay(s);
            var start = new JournalScanner.Start(e.bytes(), e.lines() + 1, s.revision(), true, e.bytes(), Long.MAX_VALUE);
            JournalScanner.Result r = JournalScanner.scan(ch, start, replay, true);
            throwIfDamaged(p, r);
            RolloutState latest = replay.found() ? replay.state(p.journal(), p.key()) : s;
            return new Loaded(latest, size, r.cutOffset >= 0 ? r.cutOffset : size, r.keptLines, e, false);
        }
    }

    /** state.json of an older release, which renamed it last: journal lines past its revision never committed. */
    private Loaded loadLegacy(KeyPaths p, RolloutState s, long size, boolean countLines) throws IOException, StoreException {
        if (size < 0) return new Loaded(s, -1, 0, 0, null, true);
        if (!countLines && legacyTailCommitted(p, size, s.revision())) return new Loaded(s, size, size, -1, null, true);
        try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
            JournalScanner.Result r = JournalScanner.scan(ch, JournalScanner.Start.whole(0, s.revision()), new JournalScanner.Visitor() {}, true);
            throwIfDamaged(p, r);
            if (r.records > 0) {
                throw new StoreException("the state file " + p.state() + " is in an older release's form, but the journal holds "
                        + r.records + " lines of this release: the state file was replaced; nothing was changed"
                        + " (`rollout store repair` rebuilds it from the journal)");
            }
            return new Loaded(s, size, r.cutOffset >= 0 ? r.cutOffset : size, r.keptLines, null, true);
        }
    }

    /** No state.json: the state of the journal's last line (a state file deleted, or lost in a crash). */
    private Loaded rebuild(KeyPaths p, long size) throws IOException, StoreException {
        try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
            StateReplay replay = new StateReplay(null);
            JournalScanner.Result r = JournalScanner.scan(ch, JournalScanner.Start.whole(0, Long.MAX_VALUE), replay, true);
            throwIfDamaged(p, r);
            long end = r.cutOffset >= 0 ? r.cutOffset : size;
            if (!replay.found()) {
                if (r.legacyLines > 0) {
                    throw new StoreException("the state file " + p.state() + " is missing and the journal " + p.journal() + " holds "
                            + r.legacyLines + " events of an older release, which do not record states, so it cannot be rebuilt;"
                            + " nothing was changed: restore state.json from a backup, or move " + p.dir() + " aside to start the key afresh");
                }
                return new Loaded(null, size, end, r.keptLines, null, false); // only a torn first line: nothing committed
            }
            return new Loaded(replay.state(p.journal(), p.key()), size, end, r.keptLines, null, false);
        }
    }

    private static void throwIfDamaged(KeyPaths p, JournalScanner.Result r) throws JournalDamagedException {
        if (r.damaged()) {
            JournalScanner.Finding f = r.damage.get(0);
            throw new JournalDamagedException(p.journal(), f.line(), f.what());
        }
    }

    /**
     * Whether an older release's journal ends with a whole line of a committed revision, read from the end only (so
     * reading a state costs the same however long the journal is).
     */
    private static boolean legacyTailCommitted(KeyPaths p, long size, long committed) throws IOException, StoreException {
        if (size == 0) return true;
        try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
            int n = (int) Math.min(size, 64 * 1024);
            ByteBuffer buf = ByteBuffer.allocate(n);
            long pos = size - n;
            while (buf.hasRemaining() && ch.read(buf, pos + buf.position()) > 0) {
                // fill
            }
            byte[] tail = buf.array();
            if (buf.position() < n || tail[n - 1] != '\n') return false;
            int start = n - 2;
            while (start >= 0 && tail[start] != '\n') start--;
            if (start < 0 && pos > 0) return false;
            int len = n - 2 - start;
            if (Journal.kind(tail, start + 1, len) != Journal.Kind.LEGACY) return false;
            try {
                return Journal.parseLegacy(tail, start + 1, len).revision() <= committed;
            } catch (IOException | RuntimeException e) {
                return false;
            }
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
        KeyPaths p = paths(key);
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(p.dir(), k -> new ReentrantLock());
        local.lock();
        try {
            StoreFiles.createKeyDirectory(root, p.service(), p.dir());
            try (FileChannel lockChannel = StoreFiles.open(p.lock(), "lock file", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock ignored = lockChannel.lock()) {
                FileLeases.checkFence(p.dir(), key, fence); // a stale driver's commit is refused atomically
                StoreFiles.regularFile(p.tmp(), "temporary state file"); // refused before anything is written
                Loaded cur = load(key, true);
                long actual = cur.state() == null ? 0 : cur.state().revision();
                if (actual != expectedRevision) throw new ConflictException(key, expectedRevision, actual);
                // plans are records of values: equal plans write equal JSON (one that is not equal only costs a longer line)
                boolean samePlan = !cur.legacy() && cur.state() != null && cur.state().plan().equals(state.plan());
                byte[] line = Journal.line(state.revision(), state, samePlan, events);
                if (line.length > StoreFiles.MAX_RECORD_BYTES) {
                    throw new StoreException("cannot commit " + key + ": its journal line would hold " + line.length
                            + " bytes, more than the " + StoreFiles.MAX_RECORD_BYTES + " a line may hold; nothing was written");
                }
                long at = append(p, cur, line);
                writeState(p, StateFile.bytes(new StateFile.JournalEnd(at + line.length, cur.lines() + 1), state));
            }
        } catch (IOException e) {
            throw new StoreException("cannot commit " + key + " to " + p.dir() + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /**
     * Appends one line where the committed journal ends (dropping a torn or uncommitted tail first) and fsyncs it:
     * the commit point. Returns the offset the line starts at.
     */
    private static long append(KeyPaths p, Loaded cur, byte[] line) throws IOException, StoreException {
        boolean created = cur.journalSize() < 0;
        long at = cur.end();
        try (FileChannel j = StoreFiles.open(p.journal(), "journal", StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            if (j.size() > at) j.truncate(at);
            ByteBuffer buf = ByteBuffer.wrap(line);
            long pos = at;
            while (buf.hasRemaining()) pos += j.write(buf, pos);
            j.force(true);
        }
        if (created) StoreFiles.syncDirectory(p.dir());
        else if (StoreFiles.tooOpen(p.journal())) StoreFiles.restrict(p.journal());
        return at;
    }

    /**
     * Writes state.json (temporary file, fsync, atomic rename). The directory is not fsynced: a rename lost in a power
     * cut leaves state.json behind the journal, and readers catch up from the journal.
     */
    void writeState(KeyPaths p, byte[] file) throws IOException, StoreException {
        StoreFiles.regularFile(p.tmp(), "temporary state file");
        Files.deleteIfExists(p.tmp()); // left by a crash; made afresh so that it is 0600
        try (FileChannel ch = StoreFiles.open(p.tmp(), "temporary state file", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            StoreFiles.writeFully(ch, file);
            ch.force(true);
        }
        try {
            Files.move(p.tmp(), p.state(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + p.dir() + " cannot rename atomically; use another state directory", e);
        }
    }

    /** The lock of one key, for maintenance that rewrites its files. */
    interface Locked<T> {
        T run() throws IOException, StoreException;
    }

    <T> T locked(KeyPaths p, Locked<T> work) throws StoreException {
        ReentrantLock local = LOCAL_LOCKS.computeIfAbsent(p.dir(), k -> new ReentrantLock());
        local.lock();
        try (FileChannel lockChannel = StoreFiles.open(p.lock(), "lock file", StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = lockChannel.lock()) {
            return work.run();
        } catch (IOException e) {
            throw new StoreException("cannot lock " + p.dir() + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    /** Every key with a directory, in order; a link where a key's directory should be is refused. */
    List<RolloutKey> keys() throws StoreException {
        List<RolloutKey> out = new ArrayList<>();
        try {
            for (String s : services()) out.addAll(keysOf(s));
        } catch (IOException e) {
            throw new StoreException("cannot list rollouts in " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** The names under the root that can be services, in order. */
    private List<String> services() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<String> out = new ArrayList<>();
        for (String s : names(root)) if (RolloutKey.validPart(s)) out.add(s);
        return out;
    }

    /** The keys of one service, in order. */
    private List<RolloutKey> keysOf(String service) throws IOException, StoreException {
        Path sd = root.resolve(service);
        if (!isKeyDirectory(sd, "service directory")) return List.of();
        List<RolloutKey> out = new ArrayList<>();
        for (String e : names(sd)) {
            if (RolloutKey.validPart(e) && isKeyDirectory(sd.resolve(e), "rollout's directory")) out.add(new RolloutKey(service, e));
        }
        return out;
    }

    /** A directory of the store's layout; a link there is refused, any other file is not the store's and skipped. */
    private static boolean isKeyDirectory(Path p, String what) throws IOException, StoreException {
        Optional<BasicFileAttributes> a = StoreFiles.attributes(p);
        if (a.isPresent() && a.get().isSymbolicLink()) throw StoreFiles.linkRefused(p, what);
        return a.isPresent() && a.get().isDirectory();
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        names.sort(null);
        return names;
    }

    @Override
    public List<RolloutState> list() throws StoreException {
        List<RolloutState> out = new ArrayList<>();
        for (RolloutKey k : keys()) {
            RolloutState s = load(k, false).state();
            if (s != null) out.add(s);
        }
        return out;
    }

    /**
     * Summaries read from each state file without building the state (its plan is skipped but for the ring
     * names); a key whose state file is behind its journal, or anything unusual, is read the full way.
     */
    @Override
    public List<RolloutSummary> summaries() throws StoreException {
        List<String> services;
        try {
            services = services();
        } catch (IOException e) {
            throw new StoreException("cannot list rollouts in " + root + ": " + e.getMessage(), e);
        }
        // service directories are independent: a store of thousands is read on every core, in key order
        try {
            return services.parallelStream().map(this::summariesOf).flatMap(List::stream).toList();
        } catch (Failed f) {
            throw f.failure;
        }
    }

    /** A StoreException through a stream. */
    private static final class Failed extends RuntimeException {
        final StoreException failure;

        Failed(StoreException failure) {
            super(failure.getMessage(), failure, false, false);
            this.failure = failure;
        }
    }

    private List<RolloutSummary> summariesOf(String service) {
        try {
            List<RolloutSummary> out = new ArrayList<>();
            List<RolloutKey> keys;
            try {
                keys = keysOf(service);
            } catch (IOException e) {
                throw new StoreException("cannot list rollouts in " + root.resolve(service) + ": " + e.getMessage(), e);
            }
            for (RolloutKey k : keys) {
                RolloutSummary s = summary(k);
                if (s != null) out.add(s);
            }
            return out;
        } catch (StoreException e) {
            throw new Failed(e);
        }
    }

    /** A key's summary straight from its state file when that is the journal's latest, else the full way. */
    private RolloutSummary summary(RolloutKey k) throws StoreException {
        KeyPaths p = paths(k);
        try {
            Optional<byte[]> bytes = StoreFiles.readBounded(p.state(), "state file", StoreFiles.MAX_RECORD_BYTES);
            Optional<SummaryReader.Fast> fast = bytes.flatMap(b -> SummaryReader.read(b, k));
            if (fast.isPresent()) {
                long size = StoreFiles.regularFile(p.journal(), "journal").map(BasicFileAttributes::size).orElse(-1L);
                StateFile.JournalEnd end = fast.get().journal();
                if (end == null || end.bytes() == size) return fast.get().summary();
            }
        } catch (IOException e) {
            throw new StoreException("cannot read rollout " + k + " in " + p.dir() + ": " + e.getMessage(), e);
        }
        RolloutState s = load(k, false).state();
        return s == null ? null : RolloutSummary.of(s);
    }

    @Override
    public List<RolloutEvent> history(RolloutKey key) throws StoreException {
        Loaded cur = load(key, false);
        if (cur.state() == null || cur.journalSize() <= 0) return List.of();
        KeyPaths p = paths(key);
        List<RolloutEvent> out = new ArrayList<>();
        try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
            long covered = cur.fileEnd() == null ? 0 : cur.fileEnd().bytes();
            long legacyCommitted = cur.legacy() ? cur.state().revision() : Long.MAX_VALUE;
            JournalScanner.Result r = JournalScanner.scan(ch, JournalScanner.Start.whole(covered, legacyCommitted), new JournalScanner.Visitor() {
                @Override
                public void entry(long line, Journal.Entry e) {
                    out.addAll(e.events());
                }

                @Override
                public void legacy(long line, RolloutEvent e) {
                    out.add(e);
                }
            }, true);
            throwIfDamaged(p, r);
        } catch (IOException e) {
            throw new StoreException("cannot read the journal of " + key + ": " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public List<KeyHealth> check(RolloutKey key) throws StoreException {
        return new FileStoreRepair(this, null, null).run(key, false);
    }

    @Override
    public List<KeyHealth> repair(RolloutKey key, Actor by, Instant now) throws StoreException {
        return new FileStoreRepair(this, by, now).run(key, true);
    }
}
