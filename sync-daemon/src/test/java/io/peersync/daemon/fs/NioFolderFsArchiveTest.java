package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioFolderFsArchiveTest {
    private static final Instant START = Instant.parse("2024-01-02T03:04:05Z");

    @TempDir
    Path tmp;
    Path root;
    SteppedClock clock;
    NioFolderFs fs;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("folder");
        clock = new SteppedClock(START);
        fs = NioFolderFs.init(root, clock);
    }

    @Test
    void archiveCopyKeepsTheOriginalInPlaceAndAnEqualCopy() throws IOException {
        write("dir/f.txt", "v1");

        String archived = fs.archiveCopy("dir/f.txt");

        assertEquals(".peersync/archive/dir/f.txt~20240102-030405", archived);
        assertEquals("v1", Files.readString(root.resolve("dir/f.txt")));
        assertEquals("v1", Files.readString(root.resolve(archived)));
    }

    @Test
    void archivedCopySurvivesTheFileBeingReplacedByRename() throws IOException {
        write("f.txt", "old");
        String archived = fs.archiveCopy("f.txt");

        Path replacement = Files.writeString(fs.tempFile("new"), "new content");
        Files.move(replacement, root.resolve("f.txt"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);

        assertEquals("old", Files.readString(root.resolve(archived)));
        assertEquals("new content", Files.readString(root.resolve("f.txt")));
    }

    @Test
    void archiveCopyInTheSameSecondGetsACounter() throws IOException {
        write("f", "a");

        assertEquals(".peersync/archive/f~20240102-030405", fs.archiveCopy("f"));
        assertEquals(".peersync/archive/f~20240102-030405-2", fs.archiveCopy("f"));
        assertEquals(".peersync/archive/f~20240102-030405-3", fs.archive("f"));
    }

    @Test
    void archiveCopyKeepsASymlinkAsASymlink() throws IOException {
        write("target", "x");
        Files.createSymbolicLink(root.resolve("link"), Path.of("target"));

        String archived = fs.archiveCopy("link");

        assertTrue(Files.isSymbolicLink(root.resolve(archived)));
        assertEquals(Path.of("target"), Files.readSymbolicLink(root.resolve(archived)));
        assertTrue(Files.isSymbolicLink(root.resolve("link")));
    }

    @Test
    void archiveCopyRefusesMissingFilesDirectoriesAndTheInternalDirectory() throws IOException {
        Files.createDirectories(root.resolve("dir"));

        assertThrows(NoSuchFileException.class, () -> fs.archiveCopy("missing"));
        assertThrows(IOException.class, () -> fs.archiveCopy("dir"));
        assertThrows(IllegalArgumentException.class, () -> fs.archiveCopy(".peersync/folder-marker"));
    }

    @Test
    void archivedListsVersionsNewestFirstWithTimeAndSize() throws IOException {
        write("d/f", "1");
        fs.archiveCopy("d/f");
        write("d/f", "22");
        fs.archiveCopy("d/f");
        clock.advance(Duration.ofMinutes(5));
        write("d/f", "333");
        fs.archive("d/f");
        write("d/f~x", "not a version of d/f");
        fs.archiveCopy("d/f~x");
        write("d/fg", "other file");
        fs.archiveCopy("d/fg");

        List<ArchivedVersion> versions = fs.archived("d/f");

        assertEquals(List.of(
                new ArchivedVersion(".peersync/archive/d/f~20240102-030905", START.plusSeconds(300), 3),
                new ArchivedVersion(".peersync/archive/d/f~20240102-030405-2", START, 2),
                new ArchivedVersion(".peersync/archive/d/f~20240102-030405", START, 1)), versions);
        assertEquals(List.of(), fs.archived("never/archived"));
    }

    @Test
    void archivedReadsStampsInTheClocksZone() throws IOException {
        Clock paris = Clock.fixed(START, ZoneId.of("Europe/Paris"));
        NioFolderFs local = NioFolderFs.open(root, paris);
        write("f", "x");

        String archived = local.archiveCopy("f");

        assertEquals(".peersync/archive/f~20240102-040405", archived);
        assertEquals(START, local.archived("f").get(0).archivedAt());
    }

    @Test
    void restoreArchivedPutsTheVersionBackWithAFreshMtime() throws IOException {
        write("d/f.txt", "version 1");
        String v1 = fs.archiveCopy("d/f.txt");
        write("d/f.txt", "version 2");
        clock.advance(Duration.ofHours(1));

        fs.restoreArchived(v1, "d/f.txt");

        assertEquals("version 1", Files.readString(root.resolve("d/f.txt")));
        assertEquals("version 1", Files.readString(root.resolve(v1)));
        assertEquals(clock.instant(), Files.getLastModifiedTime(root.resolve("d/f.txt")).toInstant());
        try (var temps = Files.list(root.resolve(".peersync/tmp"))) {
            assertEquals(0, temps.count());
        }
    }

    @Test
    void restoreArchivedRecreatesADeletedFileAndItsParents() throws IOException {
        write("a/b/f", "gone");
        String archived = fs.archive("a/b/f");
        Files.delete(root.resolve("a/b"));

        fs.restoreArchived(archived, "a/b/f");

        assertEquals("gone", Files.readString(root.resolve("a/b/f")));
    }

    @Test
    void restoreArchivedRefusesPathsOutsideTheArchive() throws IOException {
        write("f", "x");

        assertThrows(IllegalArgumentException.class, () -> fs.restoreArchived("f", "g"));
        assertThrows(IllegalArgumentException.class,
                () -> fs.restoreArchived(".peersync/archive/../folder-marker", "g"));
        assertThrows(NoSuchFileException.class, () -> fs.restoreArchived(".peersync/archive/f~20240102-030405", "f"));
        String archived = fs.archiveCopy("f");
        assertThrows(IllegalArgumentException.class, () -> fs.restoreArchived(archived, ".peersync/x"));
    }

    @Test
    void pruneKeepsTheNewestVersionsPerPath() throws IOException {
        for (int i = 0; i < 4; i++) {
            write("d/f", "v" + i);
            fs.archiveCopy("d/f");
            write("g", "g" + i);
            fs.archiveCopy("g");
            clock.advance(Duration.ofSeconds(1));
        }

        assertEquals(4, fs.pruneArchive(2, Duration.ofDays(30)));

        assertEquals(List.of("v3", "v2"), contents(fs.archived("d/f")));
        assertEquals(List.of("g3", "g2"), contents(fs.archived("g")));
    }

    @Test
    void pruneDropsVersionsOlderThanMaxAgeAndEmptyDirectories() throws IOException {
        write("old/dir/f", "ancient");
        fs.archive("old/dir/f");
        write("kept/f", "old");
        fs.archiveCopy("kept/f");
        clock.advance(Duration.ofDays(10));
        write("kept/f", "recent");
        fs.archiveCopy("kept/f");
        clock.advance(Duration.ofDays(25));
        Files.writeString(root.resolve(".peersync/archive/kept/notes"), "not a version");

        assertEquals(2, fs.pruneArchive(5, Duration.ofDays(30)));

        assertEquals(List.of("recent"), contents(fs.archived("kept/f")));
        assertFalse(Files.exists(root.resolve(".peersync/archive/old"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(Files.exists(root.resolve(".peersync/archive/kept/notes")));
        assertTrue(Files.isDirectory(root.resolve(".peersync/archive")));
    }

    @Test
    void pruneValidatesItsArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fs.pruneArchive(0, Duration.ofDays(1)));
        assertEquals("keepPerPath: 0 (expected: >= 1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fs.pruneArchive(1, Duration.ZERO));
    }

    private List<String> contents(List<ArchivedVersion> versions) {
        return versions.stream().map(v -> {
            try {
                return Files.readString(root.resolve(v.archivePath()));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    private void write(String path, String content) throws IOException {
        Path p = root.resolve(path);
        Files.createDirectories(p.getParent());
        Path temp = Files.writeString(p.resolveSibling(p.getFileName() + ".new"), content);
        // Replaced by rename, as sync replaces files, so hard-linked versions keep their own content.
        Files.move(temp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
