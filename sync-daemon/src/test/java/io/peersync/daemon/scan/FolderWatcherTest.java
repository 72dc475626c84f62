package io.peersync.daemon.scan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.NioFolderFs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderWatcherTest {
    @TempDir
    Path root;
    final List<Set<String>> batches = new CopyOnWriteArrayList<>();
    final List<ChangeBatch> units = new CopyOnWriteArrayList<>();
    FolderWatcher watcher;

    @BeforeEach
    void setUp() throws IOException {
        NioFolderFs.init(root);
        Files.createDirectories(root.resolve("existing/deep"));
        watcher = FolderWatcher.start(root, Duration.ofMillis(150), Duration.ofSeconds(5),
                path -> path.startsWith("own-"), due -> due.forEach(b -> {
                    units.add(b);
                    batches.add(b.paths());
                }));
    }

    @AfterEach
    void tearDown() {
        watcher.close();
    }

    @Test
    void reportsChangesInOneDebouncedBatchPerUnit() throws IOException {
        Files.createDirectories(root.resolve("plugins/akismet"));
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.contains(Set.of("plugins")));
        batches.clear();
        units.clear();
        Files.writeString(root.resolve("one"), "1");
        Files.writeString(root.resolve("existing/deep/three"), "3");
        Files.writeString(root.resolve("existing/four"), "4");
        Files.writeString(root.resolve("plugins/akismet/a.php"), "a");
        Files.writeString(root.resolve("plugins/akismet/b.php"), "b");

        // (Written within moments of each other, they also go out together: see ChangeBatcherTest.)
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() >= 3);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> batches.size() == 3);
        assertEquals(Set.of(Set.of("one"), Set.of("existing/deep/three", "existing/four"),
                Set.of("plugins/akismet/a.php", "plugins/akismet/b.php")), Set.copyOf(batches));
        assertEquals(Set.of("one", "existing", "plugins/akismet"),
                units.stream().map(ChangeBatch::unit).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void skipsWhatItIsToldToAndRemembersLateChanges() throws IOException {
        long before = System.nanoTime();
        Files.writeString(root.resolve("own-write"), "x");
        Files.writeString(root.resolve("mine"), "x");
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.contains(Set.of("mine")));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> batches.size() == 1);
        assertTrue(watcher.changedSince("mine", before));
        assertFalse(watcher.changedSince("own-write", before));

        watcher.requeue(units.get(0));
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 2);
        assertEquals(Set.of("mine"), batches.get(1));
    }

    @Test
    void watchesNewSubdirectories() throws IOException {
        Files.createDirectories(root.resolve("sub"));
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.contains(Set.of("sub")));

        Files.writeString(root.resolve("sub/inner"), "x");
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.contains(Set.of("sub/inner")));
    }

    @Test
    void ignoresTheInternalDirectory() throws IOException {
        Files.writeString(root.resolve(".peersync/tmp/partial"), "x");
        Files.writeString(root.resolve(".peersync/archive/old"), "x");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(batches::isEmpty);
        Files.writeString(root.resolve("visible"), "x");
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.equals(List.of(Set.of("visible"))));
    }

    @Test
    void stopsOnClose() throws IOException {
        watcher.close();
        Files.writeString(root.resolve("late"), "x");
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(batches::isEmpty);
    }
}
