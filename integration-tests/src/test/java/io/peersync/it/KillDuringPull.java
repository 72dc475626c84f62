package io.peersync.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Puts a large file on one node and SIGKILLs another while that one is pulling it. */
final class KillDuringPull {
    private static final Duration PULL_STARTS = Duration.ofMinutes(2);

    private final Workspace ws;
    private final DaemonProcess source;
    private final DaemonProcess victim;
    private final Path sourceFolder;
    private final Path victimFolder;
    private final long size;

    KillDuringPull(Workspace ws, DaemonProcess source, DaemonProcess victim, Path sourceFolder, Path victimFolder,
                   long size) {
        this.ws = ws;
        this.source = source;
        this.victim = victim;
        this.sourceFolder = sourceFolder;
        this.victimFolder = victimFolder;
        this.size = size;
    }

    /** What one attempt did; the watcher keeps watching the victim's final path until closed. */
    record Outcome(String rel, RandomFiles.Written file, boolean killedMidPull, FinalPathWatcher watcher) {
    }

    /**
     * Writes {@code rel} on the source, waits until the victim has a temp file for it, waits {@code delay},
     * kills the victim and checks what its final path holds: nothing, or the whole file.
     */
    Outcome attempt(String rel, long seed, Duration delay) throws IOException, InterruptedException {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        RandomFiles.Written file = RandomFiles.write(ws.path("staging/" + name), size, seed);
        Path finalPath = victimFolder.resolve(rel);
        Path tmp = victimFolder.resolve(".peersync/tmp");
        FinalPathWatcher watcher = FinalPathWatcher.start(finalPath, size, file.sha256());
        RandomFiles.moveInto(file, sourceFolder.resolve(rel));
        long started = System.nanoTime();
        System.out.printf("[%s] put %s (%d bytes) on %s%n", LocalTime.now(), rel, size, source.name());

        Path temp = await(victim.name() + " starting to pull " + rel + " into " + tmp).atMost(PULL_STARTS)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> firstFile(tmp), Optional::isPresent).orElseThrow();
        System.out.printf("[%s] %s has temp file %s after %d ms%n", LocalTime.now(), victim.name(), temp.getFileName(),
                (System.nanoTime() - started) / 1_000_000);
        Thread.sleep(delay.toMillis());
        boolean finishedBeforeKill = Files.exists(finalPath);
        victim.kill9();
        System.out.println("after the kill, " + tmp + " holds " + describe(tmp) + "; final path "
                + (Files.exists(finalPath) ? "exists, " + Files.size(finalPath) + " bytes" : "absent"));
        if (Files.exists(finalPath)) {
            assertEquals(file.sha256(), Trees.sha256(finalPath),
                    "after SIGKILL, " + finalPath + " exists, so it must be the whole file");
        }
        if (finishedBeforeKill) {
            watcher.close();
        }
        return new Outcome(rel, file, !finishedBeforeKill, watcher);
    }

    private static Optional<Path> firstFile(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).findFirst();
        }
    }

    private static List<String> describe(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> {
                try {
                    return p.getFileName() + " (" + Files.size(p) + " bytes)";
                } catch (IOException e) {
                    return p.getFileName() + " (" + e + ")";
                }
            }).toList();
        }
    }
}
