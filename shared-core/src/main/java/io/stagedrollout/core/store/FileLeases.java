package io.stagedrollout.core.store;

import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The file store's leases: {@code lease.json} beside the key's state, written to a temporary file, fsynced and
 * renamed, under the same key lock as the store's commits, so taking a lease over and a fenced commit never
 * interleave. The token survives releases (the file is never deleted), so it only ever grows.
 */
final class FileLeases implements RolloutLeases {
    static final String LEASE = "lease.json";
    private final FileRolloutStore store;

    FileLeases(FileRolloutStore store) {
        this.store = store;
    }

    /** Reads the lease file of a key directory; empty when there is none. Callers hold the key lock to act on it. */
    static Optional<Lease> readFile(Path dir) throws IOException {
        try {
            return Optional.of(LeaseJson.readLease(Files.readString(dir.resolve(LEASE), StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The fence check of a commit, made under the key lock by {@link FileRolloutStore#commit}. */
    static void checkFence(Path dir, RolloutKey key, Fence fence) throws IOException, LeaseLostException {
        if (fence == null) return;
        Lease current = readFile(dir).orElse(null);
        if (current == null || current.token() != fence.token() || current.released()) {
            throw new LeaseLostException(key, fence.token(), current);
        }
    }

    @Override
    public Optional<Lease> read(RolloutKey key) throws StoreException {
        Path d = store.dir(key);
        try {
            return readFile(d);
        } catch (IOException e) {
            throw new StoreException("cannot read the lease of " + key + " in " + d + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Lease acquire(RolloutKey key, Claim claim, Instant now) throws LeaseHeldException, StoreException {
        Lease[] granted = new Lease[1];
        Lease[] refused = new Lease[1];
        locked(key, d -> {
            Lease current = readFile(d).orElse(null);
            long token = current == null ? 0 : current.token();
            if (token != claim.expectedToken() || (current != null && !current.freeAt(now) && !claim.takeOver())) {
                refused[0] = current;
                return;
            }
            Lease next = new Lease(key, token + 1, claim.holder(), claim.rolloutId(), now, now.plus(claim.ttl()), false,
                    current == null ? List.of() : current.effects());
            write(d, next);
            granted[0] = next;
        });
        if (granted[0] == null) throw new LeaseHeldException(refused[0]);
        return granted[0];
    }

    @Override
    public Lease renew(Lease held, Duration ttl, Instant now) throws LeaseLostException, StoreException {
        return update(held, l -> l.renewedUntil(now.plus(ttl)));
    }

    @Override
    public Lease recordEffects(Lease held, List<InFlightEffect> effects, Instant now) throws LeaseLostException, StoreException {
        return update(held, l -> l.withEffects(effects));
    }

    @Override
    public void release(Lease held, Instant now) throws StoreException {
        try {
            update(held, l -> l.releasedAt(now));
        } catch (LeaseLostException notHeldAnyMore) {
            // someone else holds it now: nothing of ours to give back
        }
    }

    private Lease update(Lease held, java.util.function.UnaryOperator<Lease> change) throws LeaseLostException, StoreException {
        Lease[] out = new Lease[2]; // [0] the updated lease, or [1] the key's lease when ours is gone
        locked(held.key(), d -> {
            Lease current = readFile(d).orElse(null);
            if (current == null || current.token() != held.token() || current.released()) {
                out[1] = current;
                return;
            }
            Lease next = change.apply(current);
            write(d, next);
            out[0] = next;
        });
        if (out[0] == null) throw new LeaseLostException(held.key(), held.token(), out[1]);
        return out[0];
    }

    private interface LockedIo {
        void run(Path dir) throws IOException;
    }

    /** Runs {@code body} under the key lock the store's commits take (this JVM's lock, then the file lock). */
    private void locked(RolloutKey key, LockedIo body) throws StoreException {
        Path d = store.dir(key);
        ReentrantLock local = FileRolloutStore.LOCAL_LOCKS.computeIfAbsent(d, k -> new ReentrantLock());
        local.lock();
        try {
            Files.createDirectories(d);
            try (FileChannel lockChannel = FileChannel.open(d.resolve(FileRolloutStore.LOCK), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = lockChannel.lock()) {
                body.run(d);
            }
        } catch (IOException e) {
            throw new StoreException("cannot update the lease of " + key + " in " + d + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private static void write(Path d, Lease lease) throws IOException {
        Path tmp = d.resolve(LEASE + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(LeaseJson.bytes(lease));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        }
        Files.move(tmp, d.resolve(LEASE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dirChannel = FileChannel.open(d, StandardOpenOption.READ)) {
            dirChannel.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }
}
