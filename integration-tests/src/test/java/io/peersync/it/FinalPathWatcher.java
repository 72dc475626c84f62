package io.peersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Watches a file's final path from another thread and records every moment it is visible but not whole:
 * wrong size, or (hashed once per inode) wrong content. Atomic commits never trip it.
 */
final class FinalPathWatcher implements AutoCloseable {
    private final Path path;
    private final long size;
    private final String sha256;
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Set<Object> checkedInodes = new HashSet<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long samples;

    private FinalPathWatcher(Path path, long size, String sha256) {
        this.path = path;
        this.size = size;
        this.sha256 = sha256;
        this.thread = new Thread(this::run, "final-path-watcher");
        thread.setDaemon(true);
    }

    static FinalPathWatcher start(Path path, long size, String sha256) {
        FinalPathWatcher watcher = new FinalPathWatcher(path, size, sha256);
        watcher.thread.start();
        return watcher;
    }

    private void run() {
        while (!closed) {
            try {
                BasicFileAttributes attrs =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                samples++;
                if (attrs.size() != size) {
                    violation("visible with " + attrs.size() + " of " + size + " bytes");
                } else if (checkedInodes.add(attrs.fileKey())) {
                    String actual = Trees.sha256(path);
                    if (!actual.equals(sha256)) {
                        violation("visible with the full size but content sha256 " + actual);
                    }
                }
            } catch (NoSuchFileException absent) {
                samples++;
            } catch (IOException e) {
                violation("unreadable: " + e);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void violation(String what) {
        if (!closed && violations.size() < 20) {
            violations.add(LocalTime.now() + " " + path + " " + what);
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    long samples() {
        return samples;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
