package io.peersync.daemon.scan;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
    FolderWatcher watcher;

    @BeforeEach
    void setUp() throws IOException {
        NioFolderFs.init(root);
        Files.createDirectories(root.resolve("existing/deep"));
        watcher = FolderWatcher.start(root, batches::add);
    }

    @AfterEach
    void tearDown() {
        watcher.close();
    }

    @Test
    void reportsCreatedFilesInOneDebouncedBatch() throws IOException {
        Files.writeString(root.resolve("one"), "1");
        Files.writeString(root.resolve("two"), "2");
        Files.writeString(root.resolve("existing/deep/three"), "3");

        await().atMost(Duration.ofSeconds(5)).until(() -> !batches.isEmpty());
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> batches.size() == 1);
        assertEquals(Set.of("one", "two", "existing/deep/three"), batches.get(0));
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
