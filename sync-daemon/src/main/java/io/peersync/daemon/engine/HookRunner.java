package io.peersync.daemon.engine;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a folder's after-sync hook (e.g. to reset PHP's opcache) after each applied change set, on its own thread so
 * that it never holds up sync. The changed paths go to the hook's standard input, one per line; its output goes to
 * the log; a failure shows in status until the next run succeeds. Runs that pile up while one is going merge.
 */
final class HookRunner implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HookRunner.class);
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final int MAX_PENDING_PATHS = 100_000;
    private static final int MAX_LOGGED_LINES = 200;

    private final String folderId;
    private final Path root;
    private final Supplier<String> command;
    private final FolderActivity activity;
    private final ExecutorService runner;
    private final Set<String> pending = new LinkedHashSet<>();
    private boolean scheduled;
    private volatile String lastError;
    private volatile long runs;

    HookRunner(String folderId, Path root, Supplier<String> command, FolderActivity activity) {
        this.activity = activity;
        this.folderId = folderId;
        this.root = root;
        this.command = command;
        this.runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "hook-" + folderId.substring(0, 8));
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues a run for these changed paths; returns at once. */
    void afterChangeSet(Iterable<String> paths) {
        String cmd = command.get();
        if (cmd == null || cmd.isBlank()) {
            return;
        }
        synchronized (pending) {
            for (String p : paths) {
                if (pending.size() < MAX_PENDING_PATHS) {
                    pending.add(p);
                }
            }
            if (scheduled) {
                return;
            }
            scheduled = true;
        }
        runner.execute(this::runPending);
    }

    private void runPending() {
        Set<String> paths;
        synchronized (pending) {
            paths = new LinkedHashSet<>(pending);
            pending.clear();
            scheduled = false;
        }
        String cmd = command.get();
        if (cmd == null || cmd.isBlank() || paths.isEmpty()) {
            return;
        }
        try {
            int exit = run(cmd, paths);
            runs++;
            activity.hookRan(exit != 0);
            lastError = exit == 0 ? null : "after-sync hook exited with status " + exit + " (see the daemon log)";
            if (exit != 0) {
                log.warn("Folder {}: after-sync hook exited with status {}", folderId, exit);
            }
        } catch (IOException | UncheckedIOException e) {
            lastError = "after-sync hook could not run: " + e.getMessage();
            activity.hookRan(true);
            log.warn("Folder {}: {}", folderId, lastError);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int run(String cmd, Set<String> paths) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().put("PEERSYNC_FOLDER_ID", folderId);
        pb.environment().put("PEERSYNC_FOLDER_PATH", root.toString());
        pb.environment().put("PEERSYNC_CHANGED_COUNT", Integer.toString(paths.size()));
        Process process = pb.start();
        Thread feeder = new Thread(() -> {
            try (OutputStream in = process.getOutputStream()) {
                for (String p : paths) {
                    in.write((p + "\0").getBytes(StandardCharsets.UTF_8)); // NUL-terminated, as find -print0 writes
                }
            } catch (IOException e) {
                // The hook may exit without reading its input; that is its choice.
            }
        }, "hook-stdin");
        feeder.setDaemon(true);
        feeder.start();
        Thread reader = new Thread(() -> {
            int lines = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (lines++ < MAX_LOGGED_LINES) {
                        log.info("Folder {} hook: {}", folderId, line);
                    }
                }
            } catch (IOException e) {
                // The process went away; its exit status says how.
            }
        }, "hook-output");
        reader.setDaemon(true);
        reader.start();
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out after " + TIMEOUT.toMinutes() + " minutes");
        }
        reader.join(1000);
        return process.exitValue();
    }

    /** Why the last run failed, or null after a success (or before any run). */
    String lastError() {
        return lastError;
    }

    long runs() {
        return runs;
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
