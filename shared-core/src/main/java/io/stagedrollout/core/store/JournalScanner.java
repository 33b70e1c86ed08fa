package io.stagedrollout.core.store;

import io.stagedrollout.core.machine.RolloutEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a journal line by line from any offset, in bounded memory (one line at a time, at most
 * {@link StoreFiles#MAX_RECORD_BYTES}), and sorts every line into committed, damaged or dropped:
 *
 * <ul>
 *   <li>a checksummed line whose revision follows the previous one is committed;
 *   <li>a bad line (changed byte, cut short, foreign text, revision out of order) is <b>damage</b>, except when
 *       it is the file's last line and lies past the part of the journal the state file vouches for
 *       ({@code covered}): then it is the torn write of a commit that never completed, and only it may be dropped;
 *   <li>lines of an older release past its state file's revision, at the end of the journal, belong to a commit
 *       that never completed under that release's rules (it renamed the state file last) and may be dropped too.
 * </ul>
 */
final class JournalScanner {
    /** A line that is not what it should be. {@code line} counts from 1; {@code offset} is where it starts. */
    record Finding(long line, long offset, String what) {}

    /** Called for each committed line. */
    interface Visitor {
        default boolean wantsStates() {
            return false;
        }

        default void entry(long line, Journal.Entry e) throws IOException {}

        default void legacy(long line, RolloutEvent e) {}
    }

    /**
     * Where to start and what is known there.
     *
     * @param offset          byte offset of a line start
     * @param line            number of the line at {@code offset}
     * @param rev             the revision committed before {@code offset}, or null
     * @param recordsOnly     true when lines of older releases cannot follow (past a state file of this release)
     * @param covered         bytes known committed (a state file was written after them)
     * @param legacyCommitted the revision of an older release's state file, or {@link Long#MAX_VALUE}
     */
    record Start(long offset, long line, Long rev, boolean recordsOnly, long covered, long legacyCommitted) {
        static Start whole(long covered, long legacyCommitted) {
            return new Start(0, 1, null, false, covered, legacyCommitted);
        }
    }

    static final class Result {
        /** Whole lines in the file, counting those before the start. */
        long lines;
        /** Where the dropped tail starts (a torn line, an older release's uncommitted lines), or -1. */
        long cutOffset = -1;
        /** Lines kept before the cut (or all lines when nothing is cut). */
        long keptLines;
        Finding torn;
        Finding legacyTail;
        final List<Finding> damage = new ArrayList<>();
        Long lastRev;
        long records;
        long repairs;
        long legacyLines;
        long lastLegacyRevision;

        boolean damaged() {
            return !damage.isEmpty();
        }
    }

    private final LineReader in;
    private byte[] line;

    private JournalScanner(FileChannel ch, long offset) {
        this.in = new LineReader(ch, offset);
    }

    /** Scans from {@code start} to the end of the file; stops at the first damage when {@code stopAtDamage}. */
    static Result scan(FileChannel ch, Start start, Visitor v, boolean stopAtDamage) throws IOException {
        return new JournalScanner(ch, start.offset()).run(start, v, stopAtDamage);
    }

    private Result run(Start start, Visitor v, boolean stopAtDamage) throws IOException {
        Result r = new Result();
        long lineNo = start.line() - 1;
        Long prevRev = start.rev();
        boolean gapAllowed = false;
        boolean sawRecord = start.recordsOnly();
        Finding pendingBad = null;
        Finding legacyTail = null;
        r.lines = lineNo;
        while (true) {
            long lineStart = in.offset();
            int len = in.next();
            if (len == LineReader.EOF) break;
            line = in.line();
            boolean complete = len >= 0;
            int n = complete ? len : -len - 2;
            lineNo++;
            if (pendingBad != null) {
                r.damage.add(pendingBad); // a line follows it, so it was no torn last write
                pendingBad = null;
                if (stopAtDamage) break;
            }
            if (!complete) {
                if (lineStart < start.covered()) r.damage.add(new Finding(lineNo, lineStart, "it is cut short inside the committed part of the journal"));
                else r.torn = new Finding(lineNo, lineStart, "the last line is cut short (a commit interrupted while writing it)");
                break;
            }
            r.lines = lineNo;
            String bad = null;
            if (n > StoreFiles.MAX_RECORD_BYTES) {
                bad = "it is longer than " + StoreFiles.MAX_RECORD_BYTES + " bytes, more than this store ever writes";
            } else {
                switch (Journal.kind(line, 0, n)) {
                    case RECORD -> {
                        Journal.Entry e = null;
                        try {
                            e = Journal.parse(line, 0, n, v.wantsStates());
                        } catch (IOException | RuntimeException ex) {
                            bad = "its checksum matches but it is not a journal record";
                        }
                        if (e != null) {
                            if (legacyTail != null) {
                                r.damage.add(legacyTail);
                                legacyTail = null;
                            }
                            if (e.rev() == null && !e.isRepair()) {
                                bad = "it has no revision";
                            } else if (e.rev() != null && prevRev != null && !(e.rev() == prevRev + 1
                                    || ((gapAllowed || e.isRepair()) && e.rev() > prevRev))) {
                                bad = "its revision " + e.rev() + " does not follow revision " + prevRev;
                            } else if (e.rev() != null && prevRev == null && e.rev() <= r.lastLegacyRevision) {
                                bad = "its revision " + e.rev() + " does not follow revision " + r.lastLegacyRevision;
                            } else {
                                sawRecord = true;
                                v.entry(lineNo, e);
                                if (e.rev() != null) prevRev = e.rev();
                                gapAllowed = e.isRepair();
                                r.records++;
                                if (e.isRepair()) r.repairs++;
                            }
                        }
                    }
                    case LEGACY -> {
                        RolloutEvent e = null;
                        if (sawRecord) {
                            bad = "it is a line of an older release (no checksum) after lines of this release";
                        } else {
                            try {
                                e = Journal.parseLegacy(line, 0, n);
                            } catch (IOException | RuntimeException ex) {
                                bad = "it is not a whole event (cut short or edited)";
                            }
                        }
                        if (e != null && e.revision() < r.lastLegacyRevision) {
                            bad = "its revision " + e.revision() + " goes back from revision " + r.lastLegacyRevision;
                        } else if (e != null) {
                            r.legacyLines++;
                            r.lastLegacyRevision = e.revision();
                            if (e.revision() > start.legacyCommitted()) {
                                if (legacyTail == null) {
                                    legacyTail = new Finding(lineNo, lineStart, "revision " + e.revision() + " of an older release never committed (its state file is at revision "
                                            + start.legacyCommitted() + ")");
                                }
                            } else {
                                v.legacy(lineNo, e);
                            }
                        }
                    }
                    case DAMAGED -> bad = Journal.damage(line, 0, n);
                }
            }
            if (bad != null) {
                Finding f = new Finding(lineNo, lineStart, bad);
                gapAllowed = true; // the damaged line may have held a revision: the next may skip it
                if (lineStart < start.covered()) {
                    r.damage.add(f);
                    if (stopAtDamage) break;
                } else {
                    pendingBad = f;
                }
            }
        }
        if (pendingBad != null) {
            r.torn = new Finding(pendingBad.line(), pendingBad.offset(), pendingBad.what() + "; it is the last line, written by a commit that never completed");
        }
        r.legacyTail = legacyTail;
        r.lastRev = prevRev;
        Finding cut = legacyTail != null ? legacyTail : r.torn;
        r.cutOffset = cut == null ? -1 : cut.offset();
        r.keptLines = cut == null ? r.lines : cut.line() - 1;
        return r;
    }

    /** Reads lines one at a time, keeping at most {@link StoreFiles#MAX_RECORD_BYTES} + 1 bytes of each. */
    static final class LineReader {
        static final int EOF = Integer.MIN_VALUE;
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        private byte[] line = new byte[4096];
        private long fileOffset;

        LineReader(FileChannel ch, long offset) {
            this.ch = ch;
            this.fileOffset = offset;
            buf.flip();
        }

        /** Where the next line starts. */
        long offset() {
            return fileOffset;
        }

        /** The last line's bytes (valid up to the length {@link #next} returned). */
        byte[] line() {
            return line;
        }

        /**
         * Reads the next line (bytes beyond the limit are counted, not kept). Returns its length when it ends with a
         * newline, {@code -len - 2} when the file ends first, or {@link #EOF} when nothing is left.
         */
        int next() throws IOException {
            int n = 0;
            long total = 0;
            while (true) {
                if (!buf.hasRemaining()) {
                    buf.clear();
                    int r = ch.read(buf, fileOffset);
                    buf.flip();
                    if (r <= 0) {
                        if (total == 0) return EOF;
                        return -(int) Math.min(total, StoreFiles.MAX_RECORD_BYTES + 1L) - 2;
                    }
                }
                byte[] a = buf.array();
                int p = buf.position();
                int lim = buf.limit();
                int i = p;
                while (i < lim && a[i] != '\n') i++;
                int chunk = i - p;
                if (n < StoreFiles.MAX_RECORD_BYTES + 1) {
                    int keep = (int) Math.min(chunk, StoreFiles.MAX_RECORD_BYTES + 1L - n);
                    if (n + keep > line.length) {
                        line = Arrays.copyOf(line, Math.max(n + keep, Math.min(line.length * 2, StoreFiles.MAX_RECORD_BYTES + 1)));
                    }
                    System.arraycopy(a, p, line, n, keep);
                    n += keep;
                }
                total += chunk;
                fileOffset += chunk;
                if (i < lim) {
                    buf.position(i + 1);
                    fileOffset += 1;
                    return (int) Math.min(total, StoreFiles.MAX_RECORD_BYTES + 1L);
                }
                buf.position(lim);
            }
        }
    }
}
