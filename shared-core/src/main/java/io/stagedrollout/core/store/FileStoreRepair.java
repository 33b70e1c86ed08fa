package io.stagedrollout.core.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stagedrollout.core.machine.Actor;
import io.stagedrollout.core.machine.RolloutEvent;
import io.stagedrollout.core.machine.RolloutState;
import io.stagedrollout.core.store.FileRolloutStore.KeyPaths;
import io.stagedrollout.core.store.RolloutStore.StoreException;
import io.stagedrollout.core.store.StoreMaintenance.Finding;
import io.stagedrollout.core.store.StoreMaintenance.KeyHealth;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code rollout store check} and {@code repair} for the file store. Check reads every file of every key and says
 * what is wrong and what repair would do; repair, under the key's lock, does it:
 *
 * <ul>
 *   <li>a torn last line (a commit that never completed), or an older release's uncommitted lines at the end, are
 *       dropped — the only lines ever dropped;
 *   <li>damaged lines: the journal is first copied byte for byte to {@code journal.jsonl.damaged-<time>}, then each
 *       run of damaged lines is replaced by one {@code JOURNAL_DAMAGED} line that says which lines and why, and keeps
 *       the events that still read (marked {@code unverified}); every intact line is kept as it is;
 *   <li>a journal that lost its last lines (shorter than {@code state.json} says, or missing) gets a
 *       {@code JOURNAL_DAMAGED} line carrying {@code state.json}'s state, so no committed state is lost;
 *   <li>{@code state.json} missing, invalid, behind the journal or in an older form is rebuilt from the journal;
 *   <li>links planted in place of {@code state.json}, {@code state.json.tmp} or {@code .lock} are removed (never
 *       followed); store files readable by others are made 0600.
 * </ul>
 * A link in place of the journal or of a key's directory is reported, not touched: the real data is elsewhere.
 */
final class FileStoreRepair {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final FileRolloutStore store;
    private final Actor by;
    private final Instant now;

    FileStoreRepair(FileRolloutStore store, Actor by, Instant now) {
        this.store = store;
        this.by = by;
        this.now = now;
    }

    /** What repair does with a finding. */
    private enum Fix { DROP_TAIL, REPLACE_DAMAGED, RESTORE_FROM_STATE, REBUILD_STATE, REMOVE_LINK, RESTRICT, NONE }

    /** A finding and how repair deals with it. */
    private record Found(Fix fix, Finding finding) {}

    List<KeyHealth> run(RolloutKey only, boolean fix) throws StoreException {
        List<KeyHealth> out = new ArrayList<>();
        if (only != null) {
            out.add(key(only, fix));
            return out;
        }
        Path root = store.root();
        if (!Files.isDirectory(root)) return out;
        try {
            for (String s : names(root)) {
                Path sd = root.resolve(s);
                if (!RolloutKey.validPart(s)) continue;
                Optional<BasicFileAttributes> sa = StoreFiles.attributes(sd);
                if (sa.isPresent() && sa.get().isSymbolicLink()) {
                    out.add(linkedDirectory(s + "/*", sd));
                    continue;
                }
                if (sa.isEmpty() || !sa.get().isDirectory()) continue;
                for (String e : names(sd)) {
                    if (!RolloutKey.validPart(e)) continue;
                    Optional<BasicFileAttributes> ea = StoreFiles.attributes(sd.resolve(e));
                    if (ea.isPresent() && ea.get().isSymbolicLink()) out.add(linkedDirectory(s + "/" + e, sd.resolve(e)));
                    else if (ea.isPresent() && ea.get().isDirectory()) out.add(key(new RolloutKey(s, e), fix));
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot list rollouts in " + root + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static List<String> names(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (var ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        }
        names.sort(null);
        return names;
    }

    private static KeyHealth linkedDirectory(String key, Path d) {
        return new KeyHealth(key, "not read", List.of(new Finding(d.toString(), 0, StoreFiles.linkRefused(d, "rollout's directory").getMessage(),
                "not repaired: repair never follows or removes a link to a directory; put the real directory in its place", false)));
    }

    private KeyHealth key(RolloutKey k, boolean fix) throws StoreException {
        KeyPaths p = store.paths(k);
        try {
            for (Path d : List.of(p.service(), p.dir())) {
                Optional<BasicFileAttributes> a = StoreFiles.attributes(d);
                if (a.isEmpty()) return new KeyHealth(k.toString(), "nothing stored", List.of());
                if (a.get().isSymbolicLink()) return linkedDirectory(k.toString(), d);
            }
            List<Found> found = new ArrayList<>();
            if (!fix) return examine(p, found, false);
            // a planted lock link must go before the lock can be taken
            if (StoreFiles.attributes(p.lock()).map(BasicFileAttributes::isSymbolicLink).orElse(false)) {
                found.add(new Found(Fix.REMOVE_LINK, new Finding(p.lock().toString(), 0, linkProblem(p.lock()), "removed the link", true)));
                Files.delete(p.lock());
            }
            return store.locked(p, () -> examine(p, found, true));
        } catch (IOException e) {
            throw new StoreException("cannot check " + k + " in " + p.dir() + ": " + e.getMessage(), e);
        }
    }

    private static String linkProblem(Path p) {
        String target;
        try {
            target = " to " + Files.readSymbolicLink(p);
        } catch (IOException e) {
            target = "";
        }
        return "is a symbolic link" + target + " (the store never follows links in its directory)";
    }

    private KeyHealth examine(KeyPaths p, List<Found> found, boolean fix) throws IOException, StoreException {
        // 1. the files themselves: links and special files where store files belong
        for (Path f : List.of(p.tmp(), p.lock(), p.state())) {
            Optional<BasicFileAttributes> a = StoreFiles.attributes(f);
            if (a.isPresent() && a.get().isSymbolicLink()) {
                String remedy = f.equals(p.state()) ? "repair removes the link and rebuilds state.json from the journal" : "repair removes the link";
                found.add(new Found(Fix.REMOVE_LINK, new Finding(f.toString(), 0, linkProblem(f), remedy, false)));
                if (fix) {
                    Files.delete(f);
                    done(found, Fix.REMOVE_LINK, "removed the link");
                }
            } else if (a.isPresent() && !a.get().isRegularFile()) {
                found.add(new Found(Fix.NONE, new Finding(f.toString(), 0, "is not a regular file",
                        "not repaired: move it away by hand (repair deletes nothing it did not write)", false)));
                return health(p, "not read", found);
            }
        }
        Optional<BasicFileAttributes> ja = StoreFiles.attributes(p.journal());
        if (ja.isPresent() && (ja.get().isSymbolicLink() || !ja.get().isRegularFile())) {
            found.add(new Found(Fix.NONE, new Finding(p.journal().toString(), 0,
                    ja.get().isSymbolicLink() ? linkProblem(p.journal()) : "is not a regular file",
                    "not repaired: put the real journal in its place (repair never follows a link to the journal)", false)));
            return health(p, "not read", found);
        }
        long size = ja.map(BasicFileAttributes::size).orElse(-1L);

        // 2. state.json
        StateFile sf = null;
        boolean stateLinked = StoreFiles.attributes(p.state()).map(BasicFileAttributes::isSymbolicLink).orElse(false);
        try {
            Optional<byte[]> bytes = stateLinked ? Optional.empty() : StoreFiles.readBounded(p.state(), "state file", StoreFiles.MAX_RECORD_BYTES);
            if (bytes.isPresent()) sf = StateFile.parse(bytes.get(), p.state(), p.key());
        } catch (StateFile.Invalid e) {
            found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, "is not valid: " + e.what(),
                    "repair rebuilds it from the journal", false)));
        } catch (StoreException e) {
            found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, e.getMessage(), "repair rebuilds it from the journal", false)));
        }
        boolean stateInvalid = !found.isEmpty() && found.get(found.size() - 1).fix() == Fix.REBUILD_STATE;

        // 3. the journal, every line
        JournalScanner.Result r = null;
        StateReplay replay = new StateReplay(null);
        long[] events = {0};
        if (size >= 0) {
            long covered = sf != null && sf.journal() != null ? Math.min(sf.journal().bytes(), size) : 0;
            long legacyCommitted = sf != null && sf.journal() == null ? sf.state().revision() : Long.MAX_VALUE;
            try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
                r = JournalScanner.scan(ch, JournalScanner.Start.whole(covered, legacyCommitted), new JournalScanner.Visitor() {
                    @Override
                    public boolean wantsStates() {
                        return true;
                    }

                    @Override
                    public void entry(long line, Journal.Entry e) throws IOException {
                        events[0] += e.events().size();
                        replay.entry(line, e);
                    }

                    @Override
                    public void legacy(long line, RolloutEvent e) {
                        events[0]++;
                    }
                }, false);
            }
            for (JournalScanner.Finding d : r.damage) {
                found.add(new Found(Fix.REPLACE_DAMAGED, new Finding(p.journal().toString(), d.line(), d.what(),
                        "repair keeps a copy of the journal and puts a JOURNAL_DAMAGED line in its place (its events that still read are kept, marked unverified)", false)));
            }
            if (r.legacyTail != null) {
                found.add(new Found(Fix.DROP_TAIL, new Finding(p.journal().toString(), r.legacyTail.line(), r.legacyTail.what()
                        + " (with the lines after it)", "repair drops these lines: they never committed", false)));
            } else if (r.torn != null) {
                found.add(new Found(Fix.DROP_TAIL, new Finding(p.journal().toString(), r.torn.line(), r.torn.what(),
                        "repair drops it: it never committed", false)));
            }
        }

        // 4. the state file against the journal
        Long journalRev = replay.revision();
        RolloutState rebuilt = null;
        String rebuildProblem = null;
        if (replay.found()) {
            try {
                rebuilt = replay.state(p.journal(), p.key());
            } catch (StoreException e) {
                rebuildProblem = e.getMessage();
            }
        }
        boolean restoreFromState = false;
        if (sf != null && sf.journal() == null && r != null && r.records > 0) {
            found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, "is in an older release's form, but the journal holds "
                    + r.records + " lines of this release (the state file was replaced)", "repair rebuilds it from the journal", false)));
        } else if (sf != null && sf.journal() != null) {
            long s = sf.state().revision();
            if (journalRev == null || s > journalRev) {
                restoreFromState = true;
                String where = size < 0 ? "the journal is missing" : "the journal ends at " + (journalRev == null ? "no revision" : "revision " + journalRev);
                found.add(new Found(Fix.RESTORE_FROM_STATE, new Finding(p.journal().toString(), 0, where + ", but state.json is at revision " + s
                        + " (committed lines were lost: the file was cut, replaced or deleted)",
                        "repair appends a JOURNAL_DAMAGED line carrying state.json's state, so the journal reaches revision " + s + " again", false)));
            } else if (s < journalRev) {
                found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, "is behind the journal (revision " + s + " of " + journalRev
                        + "): a commit was interrupted after its journal line was written; readers already use the journal", "repair rewrites it", false)));
            } else if (r != null && sf.journal().bytes() > size) {
                found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, "says the journal held " + sf.journal().bytes()
                        + " bytes, but it holds " + size, "repair rewrites it", false)));
            }
        } else if (sf == null && !stateInvalid && !stateLinked && (journalRev != null || (r != null && r.legacyLines > 0))) {
            found.add(new Found(Fix.REBUILD_STATE, new Finding(p.state().toString(), 0, "is missing; the journal "
                    + (journalRev != null ? "reaches revision " + journalRev : "holds " + r.legacyLines + " events"),
                    "repair rebuilds it from the journal", false)));
        }
        boolean needsRebuild = found.stream().anyMatch(f -> f.fix() == Fix.REBUILD_STATE) || (stateInvalid && sf == null);
        if (needsRebuild && !restoreFromState && rebuilt == null) {
            String why = rebuildProblem != null ? rebuildProblem
                    : r != null && r.legacyLines > 0 ? "the journal holds only events of an older release, which do not record states"
                    : "the journal holds no state";
            found.replaceAll(f -> f.fix() == Fix.REBUILD_STATE ? new Found(Fix.NONE, new Finding(f.finding().file(), f.finding().line(),
                    f.finding().problem(), "not repaired: it cannot be rebuilt (" + why + "); restore state.json from a backup", false)) : f);
        }

        // 5. permissions
        for (Path f : List.of(p.state(), p.journal(), p.lock())) {
            if (StoreFiles.attributes(f).map(BasicFileAttributes::isRegularFile).orElse(false) && StoreFiles.tooOpen(f)) {
                found.add(new Found(Fix.RESTRICT, new Finding(f.toString(), 0, "can be read by others than its owner",
                        "repair makes it readable and writable by its owner only (0600)", false)));
            }
        }

        String summary = (sf != null ? "state revision " + sf.state().revision() : journalRev != null ? "journal revision " + journalRev : "no state")
                + (r == null ? ", no journal" : ", " + r.lines + " journal lines, " + events[0] + " events");
        if (!fix || found.stream().allMatch(f -> f.finding().fixed() || f.fix() == Fix.NONE)) return health(p, summary, found);
        return repairKey(p, found, sf, r, size, restoreFromState);
    }

    private KeyHealth repairKey(KeyPaths p, List<Found> found, StateFile sf, JournalScanner.Result r, long size, boolean restoreFromState)
            throws IOException, StoreException {
        boolean journalChanged = false;
        if (r != null && r.damaged()) {
            String backup = backup(p);
            rewrite(p, r, backup);
            done(found, Fix.REPLACE_DAMAGED, "done: the original is kept as " + backup);
            done(found, Fix.DROP_TAIL, "done: dropped");
            journalChanged = true;
        } else if (r != null && r.cutOffset >= 0) {
            try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.WRITE)) {
                ch.truncate(r.cutOffset);
                ch.force(true);
            }
            done(found, Fix.DROP_TAIL, "done: dropped");
            journalChanged = true;
        }
        // the state of the journal as it now is
        StateReplay replay = new StateReplay(null);
        JournalScanner.Result now2 = null;
        if (journalChanged || size >= 0) {
            try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ)) {
                now2 = JournalScanner.scan(ch, JournalScanner.Start.whole(Long.MAX_VALUE, Long.MAX_VALUE), replay, true);
            }
            if (now2.damaged()) throw new StoreException("repair of " + p.key() + " left the journal damaged at line " + now2.damage.get(0).line());
        }
        long lines = now2 == null ? 0 : now2.lines;
        long bytes = size < 0 && now2 == null ? 0 : Files.size(p.journal());
        ObjectNode state = null;
        if (restoreFromState) {
            ObjectNode tree = StateJson.MAPPER.valueToTree(sf.state());
            Long before = replay.revision();
            ObjectNode repaired = repairedNode(null, null);
            repaired.put("lost", (before == null ? "revisions 1" : "revisions " + (before + 1)) + "–" + sf.state().revision());
            RolloutEvent e = damagedEvent(before == null ? 0 : before, sf.state().id(), "the journal lost its lines after "
                    + (before == null ? "its start" : "revision " + before) + " (up to revision " + sf.state().revision()
                    + "); `rollout store repair` restored the state from state.json; the events of those revisions are lost", repaired);
            byte[] line = Journal.line(sf.state().revision(), repaired, tree, List.of(e));
            try (FileChannel ch = StoreFiles.open(p.journal(), "journal", StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                long at = ch.size();
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) at += ch.write(buf, at);
                ch.force(true);
            }
            StoreFiles.syncDirectory(p.dir());
            lines++;
            bytes = Files.size(p.journal());
            state = tree;
            done(found, Fix.RESTORE_FROM_STATE, "done: appended line " + lines);
        } else if (sf != null && sf.journal() != null && replay.revision() != null && replay.revision() == sf.state().revision()) {
            state = StateJson.MAPPER.valueToTree(sf.state()); // the same state, read and checked: no need to rebuild its plan
        } else if (replay.found() && (sf == null || sf.journal() != null || (now2 != null && now2.records > 0))) {
            state = StateJson.MAPPER.valueToTree(replay.state(p.journal(), p.key()));
        }
        if (state != null) {
            store.writeState(p, StateFile.bytes(new StateFile.JournalEnd(bytes, lines), state));
            done(found, Fix.REBUILD_STATE, "done: rebuilt from the journal");
        }
        for (Path f : List.of(p.state(), p.journal(), p.lock())) {
            if (StoreFiles.attributes(f).map(BasicFileAttributes::isRegularFile).orElse(false) && StoreFiles.tooOpen(f)) StoreFiles.restrict(f);
        }
        done(found, Fix.RESTRICT, "done: 0600");
        long revision = replay.revision() == null ? (sf == null ? 0 : sf.state().revision()) : replay.revision();
        if (restoreFromState) revision = sf.state().revision();
        return health(p, "now revision " + revision + ", " + lines + " journal lines", found);
    }

    private static KeyHealth health(KeyPaths p, String summary, List<Found> found) {
        return new KeyHealth(p.key().toString(), summary, found.stream().map(Found::finding).toList());
    }

    private static void done(List<Found> found, Fix fix, String what) {
        found.replaceAll(f -> f.fix() == fix && !f.finding().fixed() ? new Found(fix, f.finding().withFixed(what)) : f);
    }

    /** Copies the journal byte for byte beside it, fsynced; returns the copy's file name. */
    private String backup(KeyPaths p) throws IOException, StoreException {
        String base = Journal.FILE + ".damaged-" + STAMP.format(now);
        Path target = p.dir().resolve(base);
        for (int i = 2; StoreFiles.attributes(target).isPresent(); i++) target = p.dir().resolve(base + "-" + i);
        try (FileChannel in = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ);
                FileChannel out = StoreFiles.open(target, "journal copy", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long pos = 0;
            long size = in.size();
            while (pos < size) pos += in.transferTo(pos, size - pos, out);
            out.force(true);
        }
        return target.getFileName().toString();
    }

    /**
     * Writes the journal anew beside it and renames it into place: intact lines as they are, each run of damaged
     * lines as one JOURNAL_DAMAGED line, the dropped tail left out.
     */
    private void rewrite(KeyPaths p, JournalScanner.Result r, String backup) throws IOException, StoreException {
        Map<Long, JournalScanner.Finding> damaged = new LinkedHashMap<>();
        for (JournalScanner.Finding f : r.damage) damaged.put(f.line(), f);
        Path tmp = p.dir().resolve(Journal.FILE + ".repair");
        StoreFiles.regularFile(tmp, "journal being repaired");
        Files.deleteIfExists(tmp);
        try (FileChannel in = StoreFiles.open(p.journal(), "journal", StandardOpenOption.READ);
                FileChannel out = StoreFiles.open(tmp, "journal being repaired", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            JournalScanner.LineReader reader = new JournalScanner.LineReader(in, 0);
            List<Damaged> run = new ArrayList<>();
            long lineNo = 0;
            long prevRev = 0;
            while (true) {
                long offset = reader.offset();
                if (r.cutOffset >= 0 && offset >= r.cutOffset) break;
                int len = reader.next();
                if (len == JournalScanner.LineReader.EOF) break;
                lineNo++;
                int n = len >= 0 ? len : -len - 2;
                JournalScanner.Finding f = damaged.get(lineNo);
                if (f != null) {
                    run.add(new Damaged(lineNo, f.what(), Arrays.copyOf(reader.line(), Math.min(n, StoreFiles.MAX_RECORD_BYTES))));
                    continue;
                }
                if (!run.isEmpty()) {
                    StoreFiles.writeFully(out, marker(run, prevRev, backup));
                    run.clear();
                }
                byte[] b = Arrays.copyOf(reader.line(), n + 1);
                b[n] = '\n';
                StoreFiles.writeFully(out, b);
                prevRev = revisionOf(b, n, prevRev);
            }
            if (!run.isEmpty()) StoreFiles.writeFully(out, marker(run, prevRev, backup));
            out.force(true);
        }
        Files.move(tmp, p.journal(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        StoreFiles.syncDirectory(p.dir());
    }

    private record Damaged(long line, String what, byte[] bytes) {}

    private static long revisionOf(byte[] b, int n, long fallback) {
        try {
            if (Journal.kind(b, 0, n) == Journal.Kind.RECORD) {
                Long rev = Journal.parse(b, 0, n, false).rev();
                return rev == null ? fallback : rev;
            }
            if (Journal.kind(b, 0, n) == Journal.Kind.LEGACY) return Journal.parseLegacy(b, 0, n).revision();
        } catch (IOException | RuntimeException e) {
            // counted as before
        }
        return fallback;
    }

    /** One line standing for a run of damaged lines: what was wrong, where the original is, the events that still read. */
    private byte[] marker(List<Damaged> run, long prevRev, String backup) {
        ObjectNode repaired = repairedNode(run, backup);
        List<RolloutEvent> salvaged = new ArrayList<>();
        for (Damaged d : run) salvaged.addAll(salvage(d));
        String lines = run.size() == 1 ? "line " + run.get(0).line() : "lines " + run.get(0).line() + "–" + run.get(run.size() - 1).line();
        String reason = "journal " + lines + " " + (run.size() == 1 ? "was" : "were") + " damaged (" + run.get(0).what() + "); `rollout store repair` kept the original in "
                + backup + " and put this line in " + (run.size() == 1 ? "its" : "their") + " place"
                + (salvaged.isEmpty() ? "; nothing in " + (run.size() == 1 ? "it" : "them") + " could be read" : "; " + salvaged.size() + " event(s) still read and are kept, marked unverified");
        List<RolloutEvent> events = new ArrayList<>();
        events.add(damagedEvent(prevRev, null, reason, repaired));
        events.addAll(salvaged);
        return Journal.line(null, repaired, null, events);
    }

    private ObjectNode repairedNode(List<Damaged> run, String backup) {
        ObjectNode o = StateJson.MAPPER.createObjectNode();
        o.put("at", now.toString());
        if (run != null) {
            ArrayNode lines = o.putArray("lines");
            for (Damaged d : run) lines.add(d.line());
        }
        if (backup != null) o.put("backup", backup);
        return o;
    }

    private RolloutEvent damagedEvent(long revision, String rolloutId, String reason, ObjectNode repaired) {
        Map<String, Object> evidence = StateJson.MAPPER.convertValue(repaired, StateJson.MAPPER.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        return new RolloutEvent(revision, rolloutId, now, Journal.DAMAGED_EVENT, by, null, null, null, reason, evidence);
    }

    /** The events a damaged line still holds, if it still reads as JSON: kept, marked unverified. */
    private static List<RolloutEvent> salvage(Damaged d) {
        List<RolloutEvent> found = new ArrayList<>();
        try {
            found.addAll(Journal.parse(d.bytes(), 0, d.bytes().length, false).events());
        } catch (IOException | RuntimeException e) {
            try {
                found.add(Journal.parseLegacy(d.bytes(), 0, d.bytes().length));
            } catch (IOException | RuntimeException e2) {
                return List.of();
            }
        }
        List<RolloutEvent> out = new ArrayList<>();
        for (RolloutEvent e : found) {
            if (e == null) continue;
            Map<String, Object> evidence = new LinkedHashMap<>(e.evidence());
            evidence.put("unverified", "read from damaged journal line " + d.line());
            out.add(new RolloutEvent(e.revision(), e.rolloutId(), e.at(), e.type(), e.actor(), e.from(), e.to(), e.ring(), e.reason(), evidence));
        }
        return out;
    }
}
