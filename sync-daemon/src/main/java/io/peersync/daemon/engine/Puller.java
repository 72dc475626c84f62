package io.peersync.daemon.engine;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
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

    private final PullTarget folder;
    private final FilePull files;
    private final ExecutorService workers;
    private final Thread thread;
    private final Object signal = new Object();
    private final EntryPull entries;
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

    Puller(PullTarget folder, ExecutorService io) {
        this.folder = folder;
        this.files = new FilePull(folder);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(PARALLEL_FILES, r -> {
            Thread t = new Thread(r, "pull-" + folder.id().value().substring(0, 8) + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.entries = new EntryPull(folder, files);
        this.sets = new SetPull(folder, entries, space, files, workers);
        this.planner = new ChangeSetPlanner(MAX_HELD);
        this.thread = new Thread(this::loop, "puller-" + folder.id().value().substring(0, 8));
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
        return folder.need("", 64).stream()
                .allMatch(r -> folder.ignored(r.path(), r.type() == FileType.DIRECTORY)
                        || entries.isRefused(r));
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
                folder.counters().passes.incrementAndGet();
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
                log.warn("Folder {}: pull pass failed: {}", folder.id(), e.toString(), e);
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
            folder.fs().checkMarker();
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
            List<FileRecord> page = folder.need(after, PAGE);
            if (page.isEmpty()) {
                break;
            }
            for (FileRecord g : page) {
                after = g.path();
                if (entries.isRefused(g) || folder.ignored(g.path(), g.type() == FileType.DIRECTORY)) {
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
                    Optional<String> noRoom = space.reserve(folder, g.size());
                    if (noRoom.isPresent()) {
                        folder.setError(noRoom.get());
                        clean = false;
                        continue;
                    }
                    slots.acquire();
                    downloads.add(workers.submit(() -> {
                        try {
                            return entries.pullFile(g);
                        } finally {
                            space.release(g.size());
                            slots.release();
                        }
                    }));
                } else {
                    clean &= entries.applyOther(g);
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
            clean &= entries.applyDeletion(g);
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

    /** Deletes the temp files of versions no longer needed (superseded while they downloaded). */
    private void collectTemps(java.util.Set<String> wanted) {
        try {
            long bytes = 0;
            List<io.peersync.daemon.fs.FolderFs.TempFile> unwanted = DiskSpace.unwanted(folder.fs().temps(), wanted,
                    java.time.Instant.now());
            for (io.peersync.daemon.fs.FolderFs.TempFile t : unwanted) {
                folder.fs().deleteTemp(t.name());
                bytes += t.size();
            }
            if (!unwanted.isEmpty()) {
                log.info("Folder {}: deleted {} temp files of versions no longer needed ({} bytes)", folder.id(),
                        unwanted.size(), bytes);
            }
        } catch (IOException e) {
            log.info("Folder {}: cannot collect old temp files: {}", folder.id(), e.getMessage());
        }
    }

    private boolean outcome(Future<Boolean> download) throws InterruptedException {
        try {
            return download.get();
        } catch (java.util.concurrent.ExecutionException e) {
            log.warn("Folder {}: pull failed", folder.id(), e.getCause());
            return false;
        }
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
