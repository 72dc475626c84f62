package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FileMeta;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the folder on disk to the global state: creates directories and symlinks, downloads files (several at
 * once), and applies deletions children first. Nothing is written over a local change the scanner has not seen yet.
 */
final class Puller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Puller.class);
    static final int PARALLEL_FILES = 32;
    private static final int PAGE = 500;
    private static final int MAX_DELETIONS_PER_PASS = 10_000;
    private static final long RETRY_MILLIS = 3000;

    private final FolderSync folder;
    private final FilePull files;
    private final ExecutorService workers;
    private final Thread thread;
    private final Object signal = new Object();
    /** Paths whose global version we refuse to apply (e.g. a symlink pointing outside), by version. */
    private final Map<String, FileRecord> refused = new ConcurrentHashMap<>();
    private final SetPull sets;
    private final ChangeSetPlanner planner;
    /** Most records held back in incomplete change sets at once; beyond it members are applied one by one. */
    static final int MAX_HELD = 20_000;
    private static final int MAX_HOOK_PATHS = 100_000;
    /** Temp names of needed versions remembered in one pass, to collect the others; past it, none is collected. */
    private static final int MAX_WANTED_TEMPS = 200_000;
    final DiskSpace space = new DiskSpace();
    private boolean woken;
    private volatile boolean busy;
    private volatile boolean closed;

    Puller(FolderSync folder, ExecutorService io) {
        this.folder = folder;
        this.files = new FilePull(folder.id, folder.index, folder.fs, folder::sources, folder.counters,
                folder.encrypted, folder.cipher().orElse(null));
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(PARALLEL_FILES, r -> {
            Thread t = new Thread(r, "pull-" + folder.id.value().substring(0, 8) + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.sets = new SetPull(folder, this, files, workers);
        this.planner = new ChangeSetPlanner(MAX_HELD);
        this.thread = new Thread(this::loop, "puller-" + folder.id.value().substring(0, 8));
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    boolean busy() {
        synchronized (signal) {
            return busy || woken;
        }
    }

    /** True when everything still needed is refused for good (or nothing is needed). */
    boolean nothingPullable() {
        return folder.index.need(folder.id, "", 64).stream()
                .allMatch(r -> folder.ignored(r.path(), r.type() == FileType.DIRECTORY)
                        || r.version().equals(Optional.ofNullable(refused.get(r.path()))
                        .map(FileRecord::version).orElse(null)));
    }

    private void loop() {
        while (!closed) {
            try {
                synchronized (signal) {
                    if (!woken) {
                        signal.wait(RETRY_MILLIS);
                    }
                    woken = false;
                    busy = true;
                }
                boolean clean = markerPresent() && pass();
                folder.counters.passes.incrementAndGet();
                if (clean) {
                    folder.clearErrorStartingWith(DiskErrors.PREFIX);
                    folder.clearErrorStartingWith(DiskSpace.PREFIX);
                }
                if (!clean && !closed) {
                    synchronized (signal) {
                        busy = false;
                        signal.wait(RETRY_MILLIS);
                        woken = true;
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Folder {}: pull pass failed: {}", folder.id, e.toString(), e);
            } finally {
                synchronized (signal) {
                    busy = false;
                }
            }
        }
    }

    /** Writing into a folder whose marker is gone (unmounted disk) would fill the mount point: refuse. */
    private boolean markerPresent() {
        try {
            folder.fs.checkMarker();
            return true;
        } catch (IOException e) {
            folder.setError("folder marker missing: " + e.getMessage() + "; is the disk mounted?");
            return false;
        }
    }

    /** One pass over everything needed; true when nothing failed. */
    private boolean pass() throws InterruptedException {
        boolean clean = true;
        List<FileRecord> deletions = new ArrayList<>();
        java.util.ArrayDeque<Future<Boolean>> downloads = new java.util.ArrayDeque<>();
        Semaphore slots = new Semaphore(PARALLEL_FILES * 2);
        planner.begin();
        List<String> applied = new ArrayList<>();
        java.util.Set<String> wantedTemps = new java.util.HashSet<>();
        boolean wholeNeed = true;
        String after = "";
        while (true) {
            if (closed) {
                wholeNeed = false;
                break;
            }
            List<FileRecord> page = folder.index.need(folder.id, after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (FileRecord g : page) {
                after = g.path();
                if (isRefused(g) || folder.ignored(g.path(), g.type() == FileType.DIRECTORY)) {
                    continue; // ignored here: never created, overwritten or deleted by sync
                }
                if (!g.deleted() && g.type() == FileType.FILE) {
                    wholeNeed &= wantedTemps.size() < MAX_WANTED_TEMPS && wantedTemps.add(FilePull.tempName(g));
                }
                if (planner.offer(g)) {
                    continue; // applied with the rest of its change set
                }
                if (applied.size() < MAX_HOOK_PATHS) {
                    applied.add(g.path());
                }
                if (g.deleted()) {
                    if (deletions.size() < MAX_DELETIONS_PER_PASS) {
                        deletions.add(g);
                    }
                } else if (g.type() == FileType.FILE) {
                    // Finished downloads are collected as we go, so memory stays bounded however much is needed.
                    while (!downloads.isEmpty() && (downloads.peekFirst().isDone() || downloads.size() > PARALLEL_FILES * 4)) {
                        clean &= outcome(downloads.pollFirst());
                    }
                    Optional<String> noRoom = reserve(g.size());
                    if (noRoom.isPresent()) {
                        folder.setError(noRoom.get());
                        clean = false;
                        continue;
                    }
                    slots.acquire();
                    downloads.add(workers.submit(() -> {
                        try {
                            return pullFile(g);
                        } finally {
                            space.release(g.size());
                            slots.release();
                        }
                    }));
                } else {
                    clean &= applyOther(g);
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        while (!downloads.isEmpty()) {
            clean &= outcome(downloads.pollFirst());
        }
        deletions.sort(Comparator.comparing(FileRecord::path).reversed());
        for (FileRecord g : deletions) {
            clean &= applyDeletion(g);
        }
        if (!applied.isEmpty()) {
            folder.afterChanges(applied);
        }
        ChangeSetPlanner.Plan plan = planner.finish(folder::setSettled);
        if (plan.waiting() > 0) {
            clean = false; // the rest of a set has not been announced yet: look again soon
        }
        for (List<FileRecord> members : plan.ready()) {
            clean &= sets.apply(members);
        }
        if (wholeNeed) {
            collectTemps(wantedTemps);
        }
        return clean;
    }

    /** Reserves disk room for a download (see {@link DiskSpace}): empty when reserved, else why not. */
    Optional<String> reserve(long bytes) {
        try {
            return space.reserve(folder.fs, folder.minFree(), bytes);
        } catch (IOException e) {
            log.info("Folder {}: cannot read the free space of the disk ({}); pulling anyway", folder.id,
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Deletes the temp files of versions no longer needed (superseded while they downloaded). */
    private void collectTemps(java.util.Set<String> wanted) {
        try {
            long bytes = 0;
            List<io.peersync.daemon.fs.FolderFs.TempFile> unwanted = DiskSpace.unwanted(folder.fs.temps(), wanted,
                    java.time.Instant.now());
            for (io.peersync.daemon.fs.FolderFs.TempFile t : unwanted) {
                folder.fs.deleteTemp(t.name());
                bytes += t.size();
            }
            if (!unwanted.isEmpty()) {
                log.info("Folder {}: deleted {} temp files of versions no longer needed ({} bytes)", folder.id,
                        unwanted.size(), bytes);
            }
        } catch (IOException e) {
            log.info("Folder {}: cannot collect old temp files: {}", folder.id, e.getMessage());
        }
    }

    private boolean outcome(Future<Boolean> download) throws InterruptedException {
        try {
            return download.get();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("Folder {}: pull failed", folder.id, e.getCause());
            return false;
        }
    }

    private boolean isRefused(FileRecord g) {
        FileRecord r = refused.get(g.path());
        return r != null && r.version().equals(g.version());
    }

    private boolean pullFile(FileRecord g) {
        try {
            Optional<FileRecord> local = folder.index.local(folder.id, g.path());
            if (!diskMatches(local, g.path())) {
                folder.requestScan(g.path());
                return false;
            }
            if (local.isPresent() && !local.get().deleted() && local.get().type() == FileType.FILE
                    && local.get().fileHash().equals(g.fileHash())) {
                return commitMetadataOnly(g, local.get());
            }
            String temp = files.download(g);
            folder.fs.prepareTemp(temp, g.mtimeNanos(), g.mode());
            folder.commitLock.lock();
            try {
                Optional<FileRecord> now = folder.index.local(folder.id, g.path());
                if (!now.equals(local) || !diskMatches(now, g.path())) {
                    folder.requestScan(g.path());
                    return false;
                }
                boolean conflict = keepConflictCopy(now, g);
                if (!conflict && !folder.encrypted
                        && folder.fs.stat(g.path()).map(FileMeta::isFile).orElse(false)) {
                    folder.fs.archiveCopy(g.path()); // the replaced version stays in .peersync/archive
                }
                folder.fs.moveTemp(temp, g.path());
                folder.own(g.path());
                folder.commitPulled(List.of(g));
            } finally {
                folder.commitLock.unlock();
            }
            folder.counters.filesPulled.incrementAndGet();
            folder.announce();
            return true;
        } catch (IOException e) {
            log.info("Folder {}: cannot pull {} yet: {}", folder.id, g.path(), e.getMessage());
            noteDiskError(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * When the version on disk was made concurrently with the one replacing it (an edit here while another node
     * edited too), it lost the conflict: keep it beside the winner under a conflict name, which the scanner then
     * syncs like any new file. No write is lost.
     */
    boolean keepConflictCopy(Optional<FileRecord> local, FileRecord winner) throws IOException {
        // Only a read-write node writes versions of its own; a reading node's copy came from a peer, which keeps it.
        if (local.isEmpty() || local.get().deleted() || local.get().type() != FileType.FILE
                || folder.access() != io.peersync.protocol.secret.AccessLevel.READ_WRITE
                || local.get().fileHash().equals(winner.fileHash()) || !Conflicts.lost(local.get(), winner)) {
            return false;
        }
        FileRecord loser = local.get();
        String copy = ConflictNames.conflictPath(loser.path(), loser.mtimeNanos(), loser.modifiedBy());
        if (folder.fs.stat(copy).isPresent()) {
            folder.fs.archive(loser.path()); // the same loser was kept already
            return true;
        }
        folder.fs.rename(loser.path(), copy);
        log.info("Folder {}: conflict on {}: kept the local version as {}", folder.id, loser.path(), copy);
        folder.requestScan(copy);
        return true;
    }

    /** Same content already on disk (e.g. a concurrent identical change): adopt the version, fix metadata. */
    private boolean commitMetadataOnly(FileRecord g, FileRecord local) throws IOException {
        folder.commitLock.lock();
        try {
            if (local.mode() != g.mode()) {
                folder.fs.setMode(g.path(), g.mode());
            }
            if (local.mtimeNanos() != g.mtimeNanos()) {
                folder.fs.setTimes(g.path(), g.mtimeNanos());
            }
            folder.commitPulled(List.of(g));
        } finally {
            folder.commitLock.unlock();
        }
        folder.announce();
        return true;
    }

    private boolean applyOther(FileRecord g) {
        if (folder.encrypted) {
            // Directories and symlinks of an encrypted folder exist only in its index.
            folder.commitPulled(List.of(g));
            folder.announce();
            return true;
        }
        folder.commitLock.lock();
        try {
            Optional<FileRecord> local = folder.index.local(folder.id, g.path());
            if (!diskMatches(local, g.path())) {
                folder.requestScan(g.path());
                return false;
            }
            Optional<FileMeta> disk = folder.fs.stat(g.path());
            if (g.type() == FileType.DIRECTORY) {
                if (disk.isPresent() && !disk.get().isDirectory()) {
                    folder.fs.archive(g.path());
                }
                folder.fs.mkdirs(g.path(), g.mode());
                folder.fs.setMode(g.path(), g.mode());
                folder.own(g.path());
            } else {
                if (disk.isPresent()) {
                    if (disk.get().isDirectory()) {
                        folder.fs.delete(g.path());
                    } else {
                        folder.fs.archive(g.path());
                    }
                }
                try {
                    folder.fs.createSymlink(g.path(), g.target());
                } catch (io.peersync.daemon.fs.UnsafePathException e) {
                    refused.put(g.path(), g);
                    log.warn("Folder {}: refusing symlink {} -> {}: {}", folder.id, g.path(), g.target(),
                            e.getMessage());
                    return true;
                }
            }
            folder.commitPulled(List.of(g));
        } catch (IOException e) {
            log.info("Folder {}: cannot apply {} yet: {}", folder.id, g.path(), e.getMessage());
            noteDiskError(e);
            return false;
        } finally {
            folder.commitLock.unlock();
        }
        folder.announce();
        return true;
    }

    private boolean applyDeletion(FileRecord g) {
        folder.commitLock.lock();
        try {
            Optional<FileRecord> local = folder.index.local(folder.id, g.path());
            if (!diskMatches(local, g.path())) {
                folder.requestScan(g.path());
                return false;
            }
            removeFromDisk(g.path());
            folder.commitPulled(List.of(g));
        } catch (java.nio.file.DirectoryNotEmptyException e) {
            log.debug("Folder {}: {} is not empty yet", folder.id, g.path());
            return false;
        } catch (IOException e) {
            log.info("Folder {}: cannot delete {} yet: {}", folder.id, g.path(), e.getMessage());
            noteDiskError(e);
            return false;
        } finally {
            folder.commitLock.unlock();
        }
        folder.announce();
        return true;
    }

    /**
     * Applies a deletion to the disk: a file goes to the versions archive, a symlink is removed, a directory only
     * when it is empty (anything left inside, such as ignored files, stays).
     */
    void removeFromDisk(String path) throws IOException {
        Optional<FileMeta> disk = folder.fs.stat(path);
        if (disk.isPresent()) {
            if (disk.get().isFile()) {
                folder.fs.archive(path);
            } else if (disk.get().isDirectory()) {
                if (!folder.fs.deleteDirectory(path, folder.contentRules())) {
                    log.info("Folder {}: {} stays: it holds files ignored here", folder.id, path);
                }
            } else {
                folder.fs.delete(path);
            }
        }
    }

    /** True when the disk still holds what the index says we have, so replacing it loses no unscanned change. */
    boolean diskMatches(Optional<FileRecord> local, String path) throws IOException {
        if (folder.encrypted && local.isPresent() && local.get().type() != FileType.FILE) {
            return true; // index-only entry
        }
        Optional<FileMeta> disk = folder.fs.stat(path);
        if (local.isEmpty() || local.get().deleted()) {
            return disk.isEmpty() || (disk.get().isDirectory() && local.isEmpty());
        }
        if (disk.isEmpty()) {
            return false;
        }
        FileRecord l = local.get();
        FileMeta d = disk.get();
        return switch (l.type()) {
            case FILE -> d.isFile() && d.size() == l.size() && d.mtimeNanos() == l.mtimeNanos();
            case DIRECTORY -> d.isDirectory();
            case SYMLINK -> d.isSymlink() && d.symlinkTarget().equals(l.target());
        };
    }

    void noteDiskError(IOException e) {
        DiskErrors.describe(e).ifPresent(folder::setError);
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        workers.shutdownNow();
        try {
            thread.join(5000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
