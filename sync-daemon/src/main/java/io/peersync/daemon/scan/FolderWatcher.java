package io.peersync.daemon.scan;

import io.peersync.protocol.FolderPath;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder and its subdirectories (not {@code .peersync/}) and reports changed folder-relative paths in
 * debounced batches, one per {@link ChangeUnit}, for a subtree scan of each. "" in a batch means "rescan everything"
 * (events were lost). Runs on its own daemon thread until {@link #close}.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);
    /**
     * A unit is scanned once it has been quiet this long: an installer copying a plugin file by file pauses far less
     * between two files, so the whole copy becomes one change set.
     */
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(500);
    /** A unit that never goes quiet (a cache rewritten constantly) is scanned at least this often. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(30);
    /** The longest the watcher thread sleeps, so that a batch put back from another thread goes out on time. */
    private static final long MAX_SLEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Path root;
    private final WatchService watchService;
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    private final ChangeBatcher batcher;
    private final Consumer<List<ChangeBatch>> onChanges;
    private final java.util.function.Predicate<String> skip;
    private final Thread thread;
    private volatile boolean closed;

    private FolderWatcher(Path root, Duration quiet, Duration maxDelay, java.util.function.Predicate<String> skip,
                          Consumer<List<ChangeBatch>> onChanges) throws IOException {
        this.root = root.toRealPath();
        this.batcher = new ChangeBatcher(quiet.toNanos(), maxDelay.toNanos());
        this.onChanges = onChanges;
        this.skip = skip;
        this.watchService = this.root.getFileSystem().newWatchService();
        try {
            registerTree(this.root);
        } catch (IOException | RuntimeException e) {
            watchService.close();
            throw e;
        }
        this.thread = new Thread(this::run, "folder-watcher " + this.root.getFileName());
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts watching with the default quiet period (500 ms) and maximum delay (30 s), skipping nothing. */
    public static FolderWatcher start(Path root, Consumer<List<ChangeBatch>> onChanges) throws IOException {
        return start(root, DEFAULT_QUIET, DEFAULT_MAX_DELAY, path -> false, onChanges);
    }

    /**
     * Starts watching; {@code onChanges} is called on the watcher's thread with a unit's batch once no change came
     * to that unit for {@code quiet}, or {@code maxDelay} after its first change under constant churn, together
     * with the batches of units that went quiet at about the same moment (to be one change set). Events on paths
     * {@code skip} accepts (sync's own writes) are not changes.
     */
    public static FolderWatcher start(Path root, Duration quiet, Duration maxDelay,
                                      java.util.function.Predicate<String> skip, Consumer<List<ChangeBatch>> onChanges)
            throws IOException {
        return new FolderWatcher(root, quiet, maxDelay, skip, onChanges);
    }

    /**
     * True when {@code unit} has changes waiting to go out, or changed at or after {@code sinceNanos} (nanoTime):
     * a scan that started then may have seen it half-written.
     */
    public boolean changedSince(String unit, long sinceNanos) {
        return batcher.changedSince(unit, sinceNanos);
    }

    /** Puts a batch back, to go out again once its unit is quiet (its scan saw the unit still changing). */
    public void requeue(ChangeBatch batch) {
        batcher.requeue(batch, System.nanoTime());
    }

    /** Directories currently watched. */
    public int watchedDirectories() {
        return dirs.size();
    }

    @Override
    public void close() {
        closed = true;
        try {
            watchService.close();
        } catch (IOException e) {
            log.debug("closing the watch service of {}", root, e);
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                long wait = Math.min(batcher.nanosUntilDue(System.nanoTime()), MAX_SLEEP_NANOS);
                WatchKey key = wait > 0 ? watchService.poll(wait, TimeUnit.NANOSECONDS) : watchService.poll();
                if (key != null) {
                    handle(key);
                }
                List<ChangeBatch> due = batcher.takeDue(System.nanoTime());
                if (!due.isEmpty()) {
                    deliver(due);
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // closed
        } catch (RuntimeException e) {
            log.error("watcher of {} stopped", root, e);
        }
    }

    private void handle(WatchKey key) {
        Path dir = dirs.get(key);
        long now = System.nanoTime();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW || dir == null) {
                batcher.add("", now);
                continue;
            }
            Path child = dir.resolve((Path) event.context());
            String path = root.relativize(child).toString();
            if (path.isEmpty() || FolderPath.isInternal(path)) {
                continue;
            }
            if (!skip.test(path)) {
                batcher.add(path, now);
            }
            if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    registerTree(child);
                } catch (IOException e) {
                    log.warn("{}: cannot watch new directory {}: {}", root, path, e.toString());
                }
            }
        }
        if (!key.reset()) {
            dirs.remove(key);
            if (root.equals(dir)) {
                log.warn("{}: the folder root is gone or no longer watchable", root);
                batcher.add("", now);
            }
        }
    }

    /**
     * Watches {@code dir} (folder-relative) anew, after it was replaced by another directory (a swapped-in tree):
     * the old watches follow the old directories and are dropped first.
     */
    public void rewatch(String dir) {
        Path target = dir.isEmpty() ? root : root.resolve(dir);
        dirs.entrySet().removeIf(e -> {
            if (e.getValue().startsWith(target)) {
                e.getKey().cancel();
                return true;
            }
            return false;
        });
        try {
            registerTree(target);
        } catch (IOException e) {
            log.warn("{}: cannot watch {} again: {}", root, dir, e.toString());
        }
    }

    private void deliver(List<ChangeBatch> batch) {
        try {
            onChanges.accept(batch);
        } catch (RuntimeException e) {
            log.error("{}: change listener failed on {}", root, batch, e);
        }
    }

    private void registerTree(Path start) throws IOException {
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (FolderPath.isInternal(root.relativize(dir).toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                WatchKey key = dir.register(watchService, StandardWatchEventKinds.ENTRY_CREATE,
                        StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
                dirs.put(key, dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                log.warn("{}: cannot watch {}: {}", root, file, e.toString());
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
