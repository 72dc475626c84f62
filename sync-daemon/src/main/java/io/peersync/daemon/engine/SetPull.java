package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies one change set all at once: every file of the set is downloaded, verified and fsynced under
 * {@code .peersync/tmp/} first; only then, under the folder's commit lock, are they all renamed into place in one
 * burst, with the set's directories, symlinks and deletions, and recorded in one index batch. Until then the old
 * versions stay wholly in place; if any part cannot be had, nothing of the set is applied.
 */
final class SetPull {
    private static final Logger log = LoggerFactory.getLogger(SetPull.class);
    static final long OLD_TREE_GRACE_SECONDS = 10;

    private final PullTarget folder;
    private final EntryPull entries;
    private final DiskSpace space;
    private final FilePull files;
    private final ExecutorService workers;

    SetPull(PullTarget folder, EntryPull entries, DiskSpace space, FilePull files, ExecutorService workers) {
        this.folder = folder;
        this.entries = entries;
        this.space = space;
        this.files = files;
        this.workers = workers;
    }

    boolean apply(List<FileRecord> members) throws InterruptedException {
        List<FileRecord> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(FileRecord::path));
        Map<String, Optional<FileRecord>> before = new LinkedHashMap<>();
        try {
            for (FileRecord g : sorted) {
                Optional<FileRecord> local = folder.local(g.path());
                if (!entries.diskMatches(local, g.path())) {
                    folder.rescan(g.path());
                    return false;
                }
                before.put(g.path(), local);
            }
        } catch (IOException e) {
            log.info("Folder {}: cannot check the disk for a change set: {}", folder.id(), e.getMessage());
            return false;
        }
        long bytes = sorted.stream().filter(g -> needsDownload(g, before.get(g.path()))).mapToLong(FileRecord::size)
                .sum();
        Optional<String> noRoom = space.reserve(folder, bytes);
        if (noRoom.isPresent()) {
            folder.setError(noRoom.get());
            return false;
        }
        long started = System.nanoTime();
        try {
            boolean done = fetchAndApply(sorted, before);
            if (done) {
                long took = System.nanoTime() - started;
                folder.counters().applied(took);
                folder.counters().emit("changeSetApplied", java.util.Map.of("entries", sorted.size(),
                        "bytes", bytes, "millis", took / 1_000_000));
            }
            return done;
        } finally {
            space.release(bytes);
        }
    }

    private boolean fetchAndApply(List<FileRecord> sorted, Map<String, Optional<FileRecord>> before)
            throws InterruptedException {
        Map<String, Future<String>> downloads = new LinkedHashMap<>();
        for (FileRecord g : sorted) {
            if (needsDownload(g, before.get(g.path()))) {
                downloads.put(g.path(), workers.submit(() -> {
                    String temp = files.download(g);
                    // Made durable all together below, before anything is moved into place.
                    folder.fs().prepareTempUnsynced(temp, g.mtimeNanos(), g.mode());
                    return temp;
                }));
            }
        }
        Map<String, String> temps = new LinkedHashMap<>();
        String failure = null;
        for (Map.Entry<String, Future<String>> e : downloads.entrySet()) {
            try {
                temps.put(e.getKey(), e.getValue().get());
            } catch (ExecutionException ex) {
                failure = e.getKey() + ": " + ex.getCause().getMessage();
            }
        }
        if (failure != null) {
            log.info("Folder {}: change set of {} entries waits: {}", folder.id(), sorted.size(), failure);
            return false;
        }
        try {
            folder.fs().fsyncTemps(temps.values());
        } catch (IOException e) {
            log.info("Folder {}: cannot make the change set's files durable: {}", folder.id(), e.getMessage());
            entries.noteDiskError(e);
            return false;
        }
        return burst(sorted, before, temps);
    }

    private static boolean needsDownload(FileRecord g, Optional<FileRecord> local) {
        return !g.deleted() && g.type() == FileType.FILE
                && !(local.isPresent() && !local.get().deleted() && local.get().type() == FileType.FILE
                && local.get().fileHash().equals(g.fileHash()));
    }

    private boolean burst(List<FileRecord> sorted, Map<String, Optional<FileRecord>> before, Map<String, String> temps) {
        folder.wrote(sorted.stream().map(FileRecord::path).toList());
        String dir = commonDirectory(sorted);
        if (!dir.isEmpty() && !folder.encrypted() && !folder.ignored(dir, true) && noConflicts(sorted, before)) {
            folder.commitLock().lock();
            try {
                Optional<io.peersync.daemon.fs.StagedTree> stage = stillSame(sorted, before)
                        ? folder.fs().stage(dir) : Optional.empty();
                if (stage.isPresent()) {
                    return swap(dir, stage.get(), sorted, before, temps);
                }
            } catch (IOException e) {
                log.info("Folder {}: cannot stage {} ({}); applying the change set as a burst of renames",
                        folder.id(), dir, e.getMessage());
            } finally {
                folder.commitLock().unlock();
            }
        }
        return renames(sorted, before, temps);
    }

    /**
     * The atomic way: a copy of the set's directory is built under {@code .peersync/tmp/} (unchanged files hard-linked),
     * the set applied to it, and the two directories exchanged in one system call. Holds the commit lock.
     */
    private boolean swap(String dir, io.peersync.daemon.fs.StagedTree tree, List<FileRecord> sorted,
                         Map<String, Optional<FileRecord>> before, Map<String, String> temps) throws IOException {
        List<String> replaced = new ArrayList<>();
        boolean swapped = false;
        try {
            for (FileRecord g : sorted) {
                String rel = g.path().substring(dir.length() + 1);
                boolean hadFile = before.get(g.path()).filter(l -> !l.deleted() && l.type() == FileType.FILE).isPresent();
                if (g.deleted()) {
                    continue;
                }
                switch (g.type()) {
                    case DIRECTORY -> tree.mkdirs(rel, g.mode());
                    case SYMLINK -> tree.symlink(rel, g.target());
                    case FILE -> {
                        String temp = temps.get(g.path());
                        if (temp != null) {
                            tree.put(rel, temp);
                            if (hadFile) {
                                replaced.add(rel);
                            }
                        } else {
                            tree.setMode(rel, g.mode());
                        }
                    }
                }
            }
            for (int i = sorted.size() - 1; i >= 0; i--) {
                FileRecord g = sorted.get(i);
                if (g.deleted()) {
                    String rel = g.path().substring(dir.length() + 1);
                    if (before.get(g.path()).filter(l -> !l.deleted() && l.type() == FileType.FILE).isPresent()) {
                        replaced.add(rel);
                    }
                    if (g.type() == FileType.DIRECTORY) {
                        tree.deleteDirectory(rel, folder.contentRules());
                    } else {
                        tree.delete(rel);
                    }
                }
            }
            tree.fsync();
            // Marked again: building the copy may have taken longer than a mark lasts, and the swap is what the
            // watcher sees.
            folder.wrote(sorted.stream().map(FileRecord::path).toList());
            long took = tree.swap();
            swapped = true;
            folder.rewatch(dir);
            java.util.Set<String> changed = new java.util.HashSet<>();
            java.util.Set<String> deleted = new java.util.HashSet<>();
            for (FileRecord g : sorted) {
                String rel = g.path().substring(dir.length() + 1);
                changed.add(rel);
                if (g.deleted()) {
                    deleted.add(rel);
                }
            }
            int kept = tree.keepLocalWrites(changed, deleted);
            if (kept > 0) {
                log.info("Folder {}: kept {} local changes made in {} while the change set was staged", folder.id(),
                        kept, dir);
            }
            tree.archiveOld(replaced);
            for (FileRecord g : sorted) {
                if (!g.deleted()) {
                    folder.own(g.path());
                }
            }
            folder.commitPulled(sorted);
            folder.counters().recordSet(sorted.size(), took);
            log.info("Folder {}: applied a change set of {} entries by swapping {} atomically; first to last rename "
                    + "took {} µs", folder.id(), sorted.size(), dir, took / 1000);
        } finally {
            if (swapped) {
                // Readers that opened the old directory just before the swap may still be reading it: keep the old
                // tree (now only hard links and replaced versions already archived) a few seconds more.
                folder.later(tree::close, OLD_TREE_GRACE_SECONDS);
            } else {
                tree.close();
            }
        }
        folder.announce();
        folder.afterChanges(sorted.stream().map(FileRecord::path).toList());
        return true;
    }

    /** The deepest directory holding every path of the set ("" when they spread over the folder's top level). */
    static String commonDirectory(List<FileRecord> sorted) {
        String common = null;
        for (FileRecord g : sorted) {
            String parent = io.peersync.protocol.FolderPath.parent(g.path());
            if (common == null) {
                common = parent;
            } else {
                while (!common.isEmpty() && !(parent.equals(common) || parent.startsWith(common + "/"))) {
                    common = io.peersync.protocol.FolderPath.parent(common);
                }
            }
        }
        return common == null ? "" : common;
    }

    private static boolean noConflicts(List<FileRecord> sorted, Map<String, Optional<FileRecord>> before) {
        for (FileRecord g : sorted) {
            Optional<FileRecord> l = before.get(g.path());
            if (l.isPresent() && l.get().version().compare(g.version())
                    == io.peersync.protocol.VersionVector.Order.CONCURRENT) {
                return false;
            }
        }
        return true;
    }

    private boolean stillSame(List<FileRecord> sorted, Map<String, Optional<FileRecord>> before) throws IOException {
        for (FileRecord g : sorted) {
            Optional<FileRecord> now = folder.local(g.path());
            if (!now.equals(before.get(g.path())) || !entries.diskMatches(now, g.path())) {
                folder.rescan(g.path());
                return false;
            }
        }
        return true;
    }

    /** The fallback: every entry renamed into place in one short burst under the commit lock. */
    private boolean renames(List<FileRecord> sorted, Map<String, Optional<FileRecord>> before,
                            Map<String, String> temps) {
        long first;
        long last;
        TreeSet<String> dirsToSync = new TreeSet<>();
        folder.commitLock().lock();
        try {
            for (FileRecord g : sorted) {
                Optional<FileRecord> now = folder.local(g.path());
                if (!now.equals(before.get(g.path())) || !entries.diskMatches(now, g.path())) {
                    folder.rescan(g.path());
                    return false;
                }
            }
            // Keep what sync is about to replace, as a hard link: the path itself never goes missing.
            for (FileRecord g : sorted) {
                if (temps.containsKey(g.path()) && !folder.encrypted()
                        && folder.fs().stat(g.path()).map(FileMeta::isFile).orElse(false)) {
                    folder.fs().archiveCopy(g.path());
                }
            }
            first = System.nanoTime();
            for (FileRecord g : sorted) {
                // Each path is marked as sync's own write right before it is written: a large set takes longer to
                // apply than a mark lasts, and the watcher must not take the later writes for local edits.
                folder.wrote(List.of(g.path()));
                if (!g.deleted() && g.type() == FileType.DIRECTORY && !folder.encrypted()) {
                    Optional<FileMeta> disk = folder.fs().stat(g.path());
                    if (disk.isPresent() && !disk.get().isDirectory()) {
                        folder.fs().archive(g.path());
                    }
                    folder.fs().mkdirs(g.path(), g.mode());
                    folder.fs().setMode(g.path(), g.mode());
                    folder.own(g.path());
                }
            }
            for (FileRecord g : sorted) {
                folder.wrote(List.of(g.path()));
                String temp = temps.get(g.path());
                if (temp != null) {
                    entries.keepConflictCopy(before.get(g.path()), g);
                    folder.fs().moveTemp(temp, g.path(), false);
                    folder.own(g.path());
                    dirsToSync.add(io.peersync.protocol.FolderPath.parent(g.path()));
                } else if (!g.deleted() && g.type() == FileType.FILE) {
                    FileRecord local = before.get(g.path()).orElseThrow();
                    if (local.mode() != g.mode()) {
                        folder.fs().setMode(g.path(), g.mode());
                    }
                    if (local.mtimeNanos() != g.mtimeNanos() && !folder.encrypted()) {
                        folder.fs().setTimes(g.path(), g.mtimeNanos());
                    }
                } else if (!g.deleted() && g.type() == FileType.SYMLINK && !folder.encrypted()) {
                    Optional<FileMeta> disk = folder.fs().stat(g.path());
                    if (disk.isPresent()) {
                        folder.fs().archive(g.path());
                    }
                    folder.fs().createSymlink(g.path(), g.target());
                }
            }
            for (int i = sorted.size() - 1; i >= 0; i--) {
                FileRecord g = sorted.get(i);
                if (g.deleted()) {
                    folder.wrote(List.of(g.path()));
                    entries.removeFromDisk(g.path());
                }
            }
            last = System.nanoTime();
            for (String dir : dirsToSync) {
                folder.fs().fsyncDirectory(dir);
            }
            folder.commitPulled(sorted);
        } catch (IOException e) {
            log.warn("Folder {}: applying a change set failed part way: {}", folder.id(), e.getMessage());
            entries.noteDiskError(e);
            return false;
        } finally {
            folder.commitLock().unlock();
        }
        folder.counters().recordSet(sorted.size(), last - first);
        log.info("Folder {}: applied a change set of {} entries; first to last rename took {} µs", folder.id(),
                sorted.size(), (last - first) / 1000);
        folder.announce();
        folder.afterChanges(sorted.stream().map(FileRecord::path).toList());
        return true;
    }
}
