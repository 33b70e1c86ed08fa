package io.stagedrollout.core.store;

import io.stagedrollout.core.store.RolloutStore.StoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How the file store touches its directory: never through a symbolic link (a link planted where a store file or a
 * key directory should be is refused, so the store cannot be made to write outside its directory), files created
 * 0600 and directories 0700, and every read bounded.
 *
 * <p>Limits: the checks are made when a command starts using a file; a person who can swap a key directory for a
 * link while a commit runs could still misdirect that one commit (such a person can delete the store anyway).
 */
final class StoreFiles {
    /** The most a state file or one journal line may hold; the store never writes more (a plan is a few KiB). */
    static final int MAX_RECORD_BYTES = 16 * 1024 * 1024;

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private StoreFiles() {}

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] fileMode(Path p) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
    }

    /** The file's attributes, not following a link; empty when nothing is there. */
    static Optional<BasicFileAttributes> attributes(Path p) throws IOException {
        try {
            return Optional.of(Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Refuses a link or a special file where the store keeps a regular file; empty when nothing is there. */
    static Optional<BasicFileAttributes> regularFile(Path p, String what) throws IOException, StoreException {
        Optional<BasicFileAttributes> a = attributes(p);
        if (a.isPresent()) {
            if (a.get().isSymbolicLink()) throw linkRefused(p, what);
            if (!a.get().isRegularFile()) {
                throw new StoreException("refusing to use " + p + ": the store keeps its " + what
                        + " there, but it is not a regular file" + hint());
            }
        }
        return a;
    }

    /** Refuses a link or a file where the store keeps a directory; false when nothing is there. */
    static boolean directory(Path p, String what) throws IOException, StoreException {
        Optional<BasicFileAttributes> a = attributes(p);
        if (a.isEmpty()) return false;
        if (a.get().isSymbolicLink()) throw linkRefused(p, what);
        if (!a.get().isDirectory()) {
            throw new StoreException("refusing to use " + p + ": the store keeps the " + what + " there, but it is not a directory" + hint());
        }
        return true;
    }

    static StoreException linkRefused(Path p, String what) {
        String target;
        try {
            target = " (it points to " + Files.readSymbolicLink(p) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            target = "";
        }
        return new StoreException("refusing to use " + p + ": it is a symbolic link" + target + " where the store keeps its "
                + what + "; the store never follows links in its directory" + hint());
    }

    private static String hint() {
        return "; remove it, then run `rollout store check`";
    }

    /** Creates the key's directories (0700) under an existing or new root; refuses links on the way. */
    static void createKeyDirectory(Path root, Path service, Path key) throws IOException, StoreException {
        if (!Files.isDirectory(root)) createDirectory(root.toAbsolutePath(), "state directory", true);
        if (!directory(service, "service directory")) createDirectory(service, "service directory", false);
        if (!directory(key, "rollout's directory")) createDirectory(key, "rollout's directory", false);
    }

    private static void createDirectory(Path d, String what, boolean parents) throws IOException, StoreException {
        FileAttribute<?>[] mode = posix(d.getParent() == null ? d : d.getParent())
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(DIR_MODE)} : new FileAttribute<?>[0];
        try {
            if (parents) Files.createDirectories(d, mode);
            else Files.createDirectory(d, mode);
        } catch (FileAlreadyExistsException e) {
            // another process made it first (or a link appeared): checked below either way
        }
        if (!parents) directory(d, what);
    }

    /** Opens a store file without following a link: a link there fails with a message naming it. */
    static FileChannel open(Path p, String what, OpenOption... options) throws IOException, StoreException {
        regularFile(p, what);
        return openChecked(p, what, options);
    }

    /** {@link #open} once the file was checked (or is new): O_NOFOLLOW still refuses a link planted since. */
    private static FileChannel openChecked(Path p, String what, OpenOption... options) throws IOException, StoreException {
        List<OpenOption> o = new ArrayList<>(List.of(options));
        o.add(LinkOption.NOFOLLOW_LINKS);
        try {
            return FileChannel.open(p, Set.copyOf(o), o.contains(StandardOpenOption.CREATE) || o.contains(StandardOpenOption.CREATE_NEW)
                    ? fileMode(p) : new FileAttribute<?>[0]);
        } catch (FileSystemException e) {
            // a link planted between the check and the open: O_NOFOLLOW makes the open fail (ELOOP)
            if (attributes(p).map(BasicFileAttributes::isSymbolicLink).orElse(false)) throw linkRefused(p, what);
            throw e;
        }
    }

    /** The whole file, refusing more than {@code max} bytes with a message naming the file; empty when absent. */
    static Optional<byte[]> readBounded(Path p, String what, long max) throws IOException, StoreException {
        Optional<BasicFileAttributes> a = regularFile(p, what);
        if (a.isEmpty()) return Optional.empty();
        try (FileChannel ch = openChecked(p, what, StandardOpenOption.READ)) {
            long size = ch.size(); // the opened file's: a rename since the check may have put another in place
            if (size > max) {
                throw new StoreException("refusing to read " + p + ": it holds " + size + " bytes, more than the " + max
                        + " a " + what + " written by this store can hold");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read until full or the file ends early (it shrank while reading)
            }
            byte[] bytes = buf.array();
            return Optional.of(buf.position() == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, buf.position()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) ch.write(buf);
    }

    /** Whether a file is readable by others than its owner (the store writes 0600). */
    static boolean tooOpen(Path p) throws IOException {
        if (!posix(p)) return false;
        PosixFileAttributeView v = Files.getFileAttributeView(p, PosixFileAttributeView.class, NOFOLLOW);
        Set<PosixFilePermission> perms = v.readAttributes().permissions();
        return !FILE_MODE.containsAll(perms);
    }

    /** Restricts a store file to its owner (files of older releases were created 0644). */
    static void restrict(Path p) throws IOException {
        if (!posix(p)) return;
        Files.getFileAttributeView(p, PosixFileAttributeView.class, NOFOLLOW).setPermissions(FILE_MODE);
    }

    /** Makes a rename or a new file in {@code d} durable; some file systems cannot fsync a directory. */
    static void syncDirectory(Path d) {
        try (FileChannel ch = FileChannel.open(d, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException ignored) {
            // the rename is atomic all the same; only its durability across a power cut depends on this
        }
    }
}
