package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peersync.daemon.config.ArchivePolicy;
import io.peersync.daemon.fs.ArchivedVersion;
import io.peersync.daemon.fs.NioFolderFs;
import io.peersync.daemon.fs.SteppedClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionArchiveTest {
    private static final Instant T0 = Instant.parse("2026-11-28T13:00:00Z");

    @TempDir
    Path tmp;
    Path root;
    SteppedClock clock;
    NioFolderFs fs;
    VersionArchive archive;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("folder");
        clock = new SteppedClock(T0);
        fs = NioFolderFs.init(root, clock);
        archive = new VersionArchive(fs, new ArchivePolicy(2, Duration.ofDays(7)));
        // Three versions replaced at 13:00, 13:10 and 13:20; "v4" is current.
        for (int i = 1; i <= 3; i++) {
            replace("doc.txt", "v" + i);
            fs.archiveCopy("doc.txt");
            clock.advance(Duration.ofMinutes(10));
        }
        replace("doc.txt", "v4");
    }

    @Test
    void restoreWithoutAtPutsBackTheNewestVersionAndArchivesTheCurrentOne() throws IOException {
        ArchivedVersion restored = archive.restore("doc.txt", Optional.empty());

        assertEquals(T0.plus(Duration.ofMinutes(20)), restored.archivedAt());
        assertEquals("v3", Files.readString(root.resolve("doc.txt")));
        List<ArchivedVersion> versions = archive.list("doc.txt");
        assertEquals(4, versions.size());
        assertEquals("v4", Files.readString(root.resolve(versions.get(0).archivePath())));
    }

    @Test
    void restoreAtPicksTheNewestVersionAtOrBeforeThatTime() throws IOException {
        ArchivedVersion between = archive.restore("doc.txt", Optional.of(T0.plus(Duration.ofMinutes(15))));
        assertEquals(T0.plus(Duration.ofMinutes(10)), between.archivedAt());
        assertEquals("v2", Files.readString(root.resolve("doc.txt")));

        archive.restore("doc.txt", Optional.of(T0));
        assertEquals("v1", Files.readString(root.resolve("doc.txt")));
    }

    @Test
    void restoreBringsBackADeletedFile() throws IOException {
        fs.archive("doc.txt");

        archive.restore("doc.txt", Optional.empty());

        assertEquals("v4", Files.readString(root.resolve("doc.txt")));
    }

    @Test
    void restoreExplainsWhenThereIsNothingToRestore() {
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> archive.restore("other.txt", Optional.empty()));
        assertEquals("There is no archived version of other.txt.", none.getMessage());

        IllegalArgumentException tooEarly = assertThrows(IllegalArgumentException.class,
                () -> archive.restore("doc.txt", Optional.of(T0.minusSeconds(1))));
        assertEquals("There is no archived version of doc.txt from 2026-11-28T12:59:59Z or earlier; the oldest is "
                + "from 2026-11-28T13:00:00Z.", tooEarly.getMessage());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> archive.list("../etc/passwd"));
        assertEquals("Not a path inside the folder: ../etc/passwd (expected: no empty, '.' or '..' component).",
                bad.getMessage());
    }

    @Test
    void pruneAppliesThePolicy() throws IOException {
        assertEquals(1, archive.prune());
        assertEquals(2, archive.list("doc.txt").size());

        clock.advance(Duration.ofDays(8));
        assertEquals(2, archive.prune());
        assertEquals(List.of(), archive.list("doc.txt"));
    }

    private void replace(String path, String content) throws IOException {
        Path temp = Files.writeString(fs.tempFile("t"), content);
        Files.move(temp, root.resolve(path), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
