package io.peersync.daemon.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.peersync.daemon.control.ControlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveRequestsTest {
    @TempDir
    Path tmp;

    @Test
    void acceptsFolderRelativeAndAbsoluteInsidePaths() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("folder")).toRealPath();

        assertEquals("docs/a.txt", ArchiveRequests.relativePath(root, "docs/a.txt"));
        assertEquals("docs/a.txt", ArchiveRequests.relativePath(root, root + "/docs/a.txt"));
        assertEquals("docs/a.txt", ArchiveRequests.relativePath(root, root + "/x/../docs/a.txt"));
    }

    @Test
    void refusesPathsOutsideTheFolderOrInternal() throws IOException {
        Path root = Files.createDirectories(tmp.resolve("folder")).toRealPath();

        assertEquals("/etc/passwd is not a file inside the folder " + root + ".",
                assertThrows(ControlException.class, () -> ArchiveRequests.relativePath(root, "/etc/passwd"))
                        .getMessage());
        assertThrows(ControlException.class, () -> ArchiveRequests.relativePath(root, root.toString()));
        assertThrows(ControlException.class, () -> ArchiveRequests.relativePath(root, "../x"));
        assertThrows(ControlException.class, () -> ArchiveRequests.relativePath(root, ".peersync/archive/f"));
        assertThrows(ControlException.class, () -> ArchiveRequests.relativePath(root, " "));
    }

    @Test
    void parsesIsoAndStampTimesAsUtc() throws ControlException {
        Instant t = Instant.parse("2026-11-28T13:05:00Z");

        assertEquals(Optional.of(t), ArchiveRequests.time("2026-11-28T13:05:00Z"));
        assertEquals(Optional.of(t), ArchiveRequests.time("2026-11-28T14:05:00+01:00"));
        assertEquals(Optional.of(t), ArchiveRequests.time("20261128-130500"));
        assertEquals(Optional.empty(), ArchiveRequests.time(null));
        assertEquals("Not a time: yesterday (expected: ISO-8601 like 2026-11-28T13:05:00Z, or yyyyMMdd-HHmmss in UTC).",
                assertThrows(ControlException.class, () -> ArchiveRequests.time("yesterday")).getMessage());
    }
}
