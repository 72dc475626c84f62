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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a folder and its subdirectories (not {@code .peersync/}) and reports changed folder-relative paths in
 * debounced batches, for a subtree scan of each. "" in a batch means "rescan everything" (events were lost).
 * Runs on its own daemon thread until {@link #close}.
 */
public final class FolderWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FolderWatcher.class);
    public static final Duration DEFAULT_QUIET = Duration.ofMillis(150);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(1);

    private final Path root;
    private final WatchService watchService;
    private final Map<WatchKey, Path> dirs = new ConcurrentHashMap<>();
    private final ChangeBatcher batcher;
    private final Consumer<Set<String>> onChanges;
    private final Thread thread;
    private volatile boolean closed;

    private FolderWatcher(Path root, Duration quiet, Duration maxDelay, Consumer<Set<String>> onChanges)
            throws IOException {
        this.root = root.toRealPath();
        this.batcher = new ChangeBatcher(quiet.toNanos(), maxDelay.toNanos());
        this.onChanges = onChanges;
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

    /** Starts watching with the default quiet period (150 ms) and maximum delay (1 s). */
    public static FolderWatcher start(Path root, Consumer<Set<String>> onChanges) throws IOException {
        return start(root, DEFAULT_QUIET, DEFAULT_MAX_DELAY, onChanges);
    }

    /**
     * Starts watching; {@code onChanges} is called on the watcher's thread once no change came for {@code quiet},
     * or {@code maxDelay} after the first change of a batch under constant churn.
     */
    public static FolderWatcher start(Path root, Duration quiet, Duration maxDelay, Consumer<Set<String>> onChanges)
            throws IOException {
        return new FolderWatcher(root, quiet, maxDelay, onChanges);
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
                long wait = batcher.nanosUntilDue(System.nanoTime());
                WatchKey key = wait == Long.MAX_VALUE ? watchService.take()
                        : wait > 0 ? watchService.poll(wait, TimeUnit.NANOSECONDS) : watchService.poll();
                if (key != null) {
                    handle(key);
                }
                batcher.takeIfDue(System.nanoTime()).ifPresent(this::deliver);
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
            batcher.add(path, now);
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

    private void deliver(Set<String> batch) {
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
