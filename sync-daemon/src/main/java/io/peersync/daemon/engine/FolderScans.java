package io.peersync.daemon.engine;

import io.peersync.daemon.fs.FolderFs;
import io.peersync.daemon.scan.ChangeBatch;
import io.peersync.daemon.scan.ChangeUnit;
import io.peersync.daemon.scan.FolderWatcher;
import io.peersync.daemon.scan.ScanChange;
import io.peersync.daemon.scan.ScanStats;
import io.peersync.daemon.scan.Scanner;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans of a folder, run one at a time on its worker: what the watcher saw change, a subtree, or everything. What
 * one scan finds is committed as one change set (up to {@link FileRecord#MAX_CHANGE_SET}), without the changes of
 * units that changed again while it ran: those are scanned again once quiet.
 */
final class FolderScans {
    private static final Logger log = LoggerFactory.getLogger(FolderScans.class);

    private final FolderId id;
    private final FolderFs fs;
    private final Scanner scanner;
    private final FolderIgnores ignores;
    private final FolderError error;
    private final ScheduledExecutorService worker;
    private final Supplier<FolderWatcher> watcher;
    /** Where what a scan found goes: new versions, or a read-only node's local changes. */
    private final Consumer<List<ScanChange>> commit;
    /** Read-only folders: their remembered local changes, forgotten where a scan looks again; null otherwise. */
    private final ReadOnlyChanges readOnly;
    private final FolderActivity activity;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean scanning;
    private volatile boolean initialScanDone;
    private volatile boolean closed;

    FolderScans(FolderId id, FolderFs fs, Scanner scanner, FolderIgnores ignores, FolderError error,
                ScheduledExecutorService worker, Supplier<FolderWatcher> watcher, Consumer<List<ScanChange>> commit,
                ReadOnlyChanges readOnly, FolderActivity activity) {
        this.activity = activity;
        this.id = id;
        this.fs = fs;
        this.scanner = scanner;
        this.ignores = ignores;
        this.error = error;
        this.worker = worker;
        this.watcher = watcher;
        this.commit = commit;
        this.readOnly = readOnly;
    }

    /** Queues one scan of several subtrees ("" for everything) on the worker. */
    void request(List<String> subtrees) {
        request(subtrees, List.of());
    }

    /** Scans what the watcher saw change in units that went quiet together, as one change set. */
    void onWatched(List<ChangeBatch> batches) {
        TreeSet<String> paths = new TreeSet<>();
        batches.forEach(b -> paths.addAll(b.paths()));
        request(paths.contains("") ? List.of("") : new ArrayList<>(paths), batches);
    }

    /** {@link #request(List)} for what the watcher saw change in units ({@code batches}, empty if none). */
    private void request(List<String> subtrees, List<ChangeBatch> batches) {
        if (closed) {
            return;
        }
        queued.incrementAndGet();
        worker.execute(() -> {
            try {
                scan(subtrees, batches);
            } finally {
                queued.decrementAndGet();
            }
        });
    }

    /** An encrypted folder is never scanned (ciphertext changes only by sync): it has nothing to wait for. */
    void skipInitialScan() {
        initialScanDone = true;
    }

    /** True until the first scan finished, and while a scan runs or waits. */
    boolean busy() {
        return !initialScanDone || scanning || queued.get() > 0;
    }

    void close() {
        closed = true;
    }

    private void scan(List<String> subtrees, List<ChangeBatch> batches) {
        long started = System.nanoTime();
        scanning = true;
        if (readOnly != null) {
            subtrees.forEach(readOnly::forgetUnder);
        }
        try {
            // An unmounted disk or a moved folder looks like "everything deleted": never propagate that.
            fs.checkMarker();
            ignores.refresh();
            List<ScanChange> pending = new ArrayList<>();
            Consumer<List<ScanChange>> sink = found -> {
                pending.addAll(found);
                if (pending.size() >= FileRecord.MAX_CHANGE_SET) {
                    commit.accept(settled(List.copyOf(pending), started, batches));
                    pending.clear();
                }
            };
            for (String subtree : subtrees) {
                report(subtree, scanner.scan(subtree, sink));
            }
            if (!pending.isEmpty()) {
                commit.accept(settled(pending, started, batches));
            }
            error.clearIf(e -> e.startsWith("scan") || e.contains("marker"));
        } catch (IOException e) {
            error.set("scan failed: " + e.getMessage());
            log.debug("Folder {}: scan failed", id, e);
        } catch (RuntimeException e) {
            error.set("scan failed: " + e.getMessage());
            log.warn("Folder {}: scan failed", id, e); // a bug, not the disk: its stack trace helps
        } finally {
            activity.scanned(System.nanoTime() - started);
            initialScanDone = true;
            scanning = false;
        }
    }

    private void report(String subtree, ScanStats stats) {
        if (!stats.errors().isEmpty()) {
            log.warn("Folder {}: {} entries could not be read, e.g. {}", id, stats.errors().size(),
                    stats.errors().get(0));
        }
        if (!stats.retry().isEmpty()) {
            worker.schedule(() -> request(List.copyOf(stats.retry())), 1, TimeUnit.SECONDS);
        }
        if (stats.changed() + stats.deleted() > 0) {
            log.info("Folder {}: scan of '{}' found {} changed and {} deleted entries ({} bytes hashed)", id,
                    subtree, stats.changed(), stats.deleted(), stats.hashedBytes());
        }
    }

    /**
     * The changes of a scan that started at {@code started} (nanoTime) without those in units that changed again
     * since: the scan may have caught them half-written (an installer still copying). They go back to the watcher
     * and are scanned again once their unit is quiet, unless the unit's batch waited the maximum delay already.
     */
    private List<ScanChange> settled(List<ScanChange> changes, long started, List<ChangeBatch> batches) {
        FolderWatcher w = watcher.get();
        if (w == null) {
            return changes;
        }
        Map<String, ChangeBatch> byUnit = new HashMap<>();
        batches.forEach(b -> byUnit.put(b.unit(), b));
        List<ScanChange> keep = new ArrayList<>(changes.size());
        Map<String, List<String>> again = new HashMap<>();
        for (ScanChange c : changes) {
            String unit = ChangeUnit.of(c.path());
            ChangeBatch batch = byUnit.get(unit);
            if ((batch == null || !batch.overdue()) && w.changedSince(unit, started)) {
                again.computeIfAbsent(unit, u -> new ArrayList<>()).add(c.path());
            } else {
                keep.add(c);
            }
        }
        again.forEach((unit, paths) -> {
            ChangeBatch batch = byUnit.get(unit);
            long first = batch != null ? batch.firstNanos() : started;
            w.requeue(new ChangeBatch(unit, Set.copyOf(paths), first, false));
        });
        if (!again.isEmpty()) {
            log.debug("Folder {}: {} still changing; scanning again once quiet", id, again.keySet());
        }
        return keep;
    }
}
