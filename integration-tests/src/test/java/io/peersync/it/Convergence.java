package io.peersync.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Waits, through each node's {@code status --json}, until a folder has converged on every node. */
final class Convergence {
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    private static final ExecutorService POLLERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "status-poller");
        thread.setDaemon(true);
        return thread;
    });

    private Convergence() {
    }

    /**
     * Waits until every node reports the folder in sync, idle, needing nothing, and with the same global
     * file count, equal to {@code expectedFiles}; returns the last statuses, by node name.
     */
    static Map<String, Status.Folder> awaitConverged(String folderId, long expectedFiles, Duration timeout,
                                                     DaemonProcess... nodes) {
        long started = System.nanoTime();
        AtomicLong lastProgress = new AtomicLong(started);
        AtomicReference<Map<String, Status.Folder>> last = new AtomicReference<>(Map.of());
        await("folder " + folderId + " converged on " + names(nodes) + " with " + expectedFiles + " files")
                .atMost(timeout)
                .pollInterval(POLL)
                .pollDelay(Duration.ZERO)
                .untilAsserted(() -> {
                    Map<String, Status.Folder> statuses = statuses(folderId, nodes);
                    last.set(statuses);
                    if (System.nanoTime() - lastProgress.get() > PROGRESS_EVERY.toNanos()) {
                        lastProgress.set(System.nanoTime());
                        System.out.println(describe("waiting", started, statuses));
                    }
                    List<String> problems = problems(statuses, expectedFiles);
                    if (!problems.isEmpty()) {
                        throw new AssertionError(String.join("; ", problems) + "\n"
                                + describe("now", started, statuses));
                    }
                });
        System.out.println(describe("converged", started, last.get()));
        return last.get();
    }

    /** Every node's status of the folder, polled in parallel (each poll is one CLI process). */
    static Map<String, Status.Folder> statuses(String folderId, DaemonProcess... nodes) {
        List<CompletableFuture<Status.Folder>> futures = new ArrayList<>();
        for (DaemonProcess node : nodes) {
            futures.add(CompletableFuture.supplyAsync(() -> node.folder(folderId), POLLERS));
        }
        Map<String, Status.Folder> statuses = new LinkedHashMap<>();
        for (int i = 0; i < nodes.length; i++) {
            try {
                statuses.put(nodes[i].name(), futures.get(i).join());
            } catch (CompletionException e) {
                // Unwrapped so that Awaitility sees a failed assertion (and polls again), not an error.
                if (e.getCause() instanceof AssertionError assertion) {
                    throw assertion;
                }
                throw e;
            }
        }
        return statuses;
    }

    private static List<String> problems(Map<String, Status.Folder> statuses, long expectedFiles) {
        List<String> problems = new ArrayList<>();
        statuses.forEach((node, f) -> {
            if (!f.inSync()) {
                problems.add(node + " not inSync");
            }
            if (!"idle".equals(f.state())) {
                problems.add(node + " state " + f.state());
            }
            if (f.needFiles() != 0 || f.needBytes() != 0) {
                problems.add(node + " needs " + f.needFiles() + " files/" + f.needBytes() + " B");
            }
            if (f.globalFiles() != expectedFiles) {
                problems.add(node + " globalFiles " + f.globalFiles() + " (expected: " + expectedFiles + ")");
            }
            if (f.localFiles() != expectedFiles) {
                problems.add(node + " localFiles " + f.localFiles() + " (expected: " + expectedFiles + ")");
            }
            if (f.error() != null) {
                problems.add(node + " error: " + f.error());
            }
        });
        return problems;
    }

    static String describe(String what, long startedNanos, Map<String, Status.Folder> statuses) {
        StringBuilder out = new StringBuilder(String.format("[%s] %s after %.1f s:", LocalTime.now(), what,
                (System.nanoTime() - startedNanos) / 1e9));
        statuses.forEach((node, f) -> out.append("\n  ").append(node).append(": ").append(f.summary()));
        return out.toString();
    }

    private static String names(DaemonProcess... nodes) {
        List<String> names = new ArrayList<>();
        for (DaemonProcess node : nodes) {
            names.add(node.name());
        }
        return String.join(",", names);
    }
}
