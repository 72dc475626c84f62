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

    private final FolderSync folder;
    private final Puller puller;
    private final FilePull files;
    private final ExecutorService workers;

    SetPull(FolderSync folder, Puller puller, FilePull files, ExecutorService workers) {
        this.folder = folder;
        this.puller = puller;
        this.files = files;
        this.workers = workers;
    }

    boolean apply(List<FileRecord> members) throws InterruptedException {
        List<FileRecord> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing(FileRecord::path));
        Map<String, Optional<FileRecord>> before = new LinkedHashMap<>();
        try {
            for (FileRecord g : sorted) {
                Optional<FileRecord> local = folder.index.local(folder.id, g.path());
                if (!puller.diskMatches(local, g.path())) {
                    folder.requestScan(g.path());
                    return false;
                }
                before.put(g.path(), local);
            }
        } catch (IOException e) {
            log.info("Folder {}: cannot check the disk for a change set: {}", folder.id, e.getMessage());
            return false;
        }
        Map<String, Future<String>> downloads = new LinkedHashMap<>();
        for (FileRecord g : sorted) {
            if (needsDownload(g, before.get(g.path()))) {
                downloads.put(g.path(), workers.submit(() -> {
                    String temp = files.download(g);
                    folder.fs.prepareTemp(temp, g.mtimeNanos(), g.mode());
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
            log.info("Folder {}: change set of {} entries waits: {}", folder.id, sorted.size(), failure);
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
        long first;
        long last;
        TreeSet<String> dirsToSync = new TreeSet<>();
        folder.commitLock.lock();
        try {
            for (FileRecord g : sorted) {
                Optional<FileRecord> now = folder.index.local(folder.id, g.path());
                if (!now.equals(before.get(g.path())) || !puller.diskMatches(now, g.path())) {
                    folder.requestScan(g.path());
                    return false;
                }
            }
            // Keep what sync is about to replace, as a hard link: the path itself never goes missing.
            for (FileRecord g : sorted) {
                if (temps.containsKey(g.path()) && !folder.encrypted
                        && folder.fs.stat(g.path()).map(FileMeta::isFile).orElse(false)) {
                    folder.fs.archiveCopy(g.path());
                }
            }
            first = System.nanoTime();
            for (FileRecord g : sorted) {
                if (!g.deleted() && g.type() == FileType.DIRECTORY && !folder.encrypted) {
                    Optional<FileMeta> disk = folder.fs.stat(g.path());
                    if (disk.isPresent() && !disk.get().isDirectory()) {
                        folder.fs.archive(g.path());
                    }
                    folder.fs.mkdirs(g.path(), g.mode());
                    folder.fs.setMode(g.path(), g.mode());
                    folder.own(g.path());
                }
            }
            for (FileRecord g : sorted) {
                String temp = temps.get(g.path());
                if (temp != null) {
                    puller.keepConflictCopy(before.get(g.path()), g);
                    folder.fs.moveTemp(temp, g.path(), false);
                    folder.own(g.path());
                    dirsToSync.add(io.peersync.protocol.FolderPath.parent(g.path()));
                } else if (!g.deleted() && g.type() == FileType.FILE) {
                    FileRecord local = before.get(g.path()).orElseThrow();
                    if (local.mode() != g.mode()) {
                        folder.fs.setMode(g.path(), g.mode());
                    }
                    if (local.mtimeNanos() != g.mtimeNanos() && !folder.encrypted) {
                        folder.fs.setTimes(g.path(), g.mtimeNanos());
                    }
                } else if (!g.deleted() && g.type() == FileType.SYMLINK && !folder.encrypted) {
                    Optional<FileMeta> disk = folder.fs.stat(g.path());
                    if (disk.isPresent()) {
                        folder.fs.archive(g.path());
                    }
                    folder.fs.createSymlink(g.path(), g.target());
                }
            }
            for (int i = sorted.size() - 1; i >= 0; i--) {
                FileRecord g = sorted.get(i);
                if (g.deleted()) {
                    Optional<FileMeta> disk = folder.fs.stat(g.path());
                    if (disk.isPresent()) {
                        if (disk.get().isDirectory()) {
                            folder.fs.delete(g.path());
                        } else {
                            folder.fs.archive(g.path());
                        }
                    }
                }
            }
            last = System.nanoTime();
            for (String dir : dirsToSync) {
                folder.fs.fsyncDirectory(dir);
            }
            folder.index.commitLocal(folder.id, sorted);
        } catch (IOException e) {
            log.warn("Folder {}: applying a change set failed part way: {}", folder.id, e.getMessage());
            puller.noteDiskError(e);
            return false;
        } finally {
            folder.commitLock.unlock();
        }
        folder.counters.recordSet(sorted.size(), last - first);
        log.info("Folder {}: applied a change set of {} entries; first to last rename took {} µs", folder.id,
                sorted.size(), (last - first) / 1000);
        folder.announce();
        folder.afterChanges(sorted.stream().map(FileRecord::path).toList());
        return true;
    }
}
