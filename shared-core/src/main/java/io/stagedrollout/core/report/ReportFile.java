package io.stagedrollout.core.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * Writes a report where a user pointed {@code -o}, the way a careful command-line tool does:
 * <ul>
 *   <li>a regular file (or a new one) is replaced atomically: the report is written beside it and renamed over it, so
 *       a CI job never picks up half a report; a file that existed keeps its permissions, a new one gets the
 *       process's umask like any output file;</li>
 *   <li>a symbolic link is followed: the file it points to is written, the link stays;</li>
 *   <li>anything else that exists and is not a directory — a character device such as {@code /dev/null} or
 *       {@code /dev/stdout}, a FIFO — is written through, never replaced;</li>
 *   <li>a directory, or a file whose directory does not exist, is refused ({@link Refused}): directories are never
 *       created.</li>
 * </ul>
 */
public final class ReportFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ReportFile() {}

    /** The target cannot be written as asked; the message names it and says why. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    public static void write(Path target, String content) throws Refused, IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (Files.isDirectory(target)) throw new Refused(target + " is a directory: give the report's file name, e.g. " + target.resolve("report.html"));
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // a device or a FIFO (or a link to one): write through it, as a shell redirection would
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            return;
        }
        if (!Files.exists(target) && Files.isSymbolicLink(target)) {
            throw new Refused(target + " is a symbolic link to a file that does not exist");
        }
        Path file = Files.exists(target) ? target.toRealPath() : target.toAbsolutePath();
        Path dir = file.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new Refused("cannot write " + target + ": the directory " + (dir == null ? "" : dir) + " does not exist (it is not created)");
        }
        Path tmp = dir.resolve("." + file.getFileName() + "." + HexFormat.of().formatHex(randomBytes()) + ".tmp");
        try {
            // CREATE_NEW: never follows a link planted at the temporary name; no explicit mode, so the umask applies
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                out.write(bytes);
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) keepPermissions(file, tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write " + target + ": a temporary file is in the way: " + tmp, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return b;
    }

    private static void keepPermissions(Path from, Path to) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        if (view == null) return;
        Set<PosixFilePermission> perms = view.readAttributes().permissions();
        Files.setPosixFilePermissions(to, perms);
    }
}
