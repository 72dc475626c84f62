package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write the folder, {@code .peersync/} included, swaps a directory of the file being archived,
 * of the archive or of {@code .peersync/tmp} for a symlink to a directory outside: nothing outside is linked, copied,
 * read, deleted or written, no outside content reaches the archive or (by a restore) the folder.
 */
class ArchiveBeneathTest {
    private static final Instant START = Instant.parse("2024-01-02T03:04:05Z");
    private static final String STAMP = "~20240102-030405";

    @TempDir
    Path dir;

    private Path root;
    private Outside outside;
    private SteppedClock clock;
    private NioFolderFs fs;
    private ArchiveDir archive;

    @BeforeEach
    void setUp() throws IOException {
        root = dir.resolve("folder");
        clock = new SteppedClock(START);
        fs = NioFolderFs.init(root, clock);
        archive = new ArchiveDir(fs.root(), clock);
        outside = Outside.at(dir.resolve("outside"), "f" + STAMP, "shadow" + STAMP);
    }

    /** Replaces the directory {@code relative} of the folder by a symlink to the outside directory. */
    private void swapForSymlink(String relative) throws IOException {
        Path d = root.resolve(relative);
        Files.move(d, d.resolveSibling(d.getFileName() + ".moved"));
        Files.createSymbolicLink(d, outside.dir);
    }

    private void assertNothingFromOutside() throws IOException {
        outside.assertUntouched();
        Outside.assertNoSecretUnder(root);
    }

    @Test
    void theFilesDirectorySwappedForASymlinkIsNotArchivedFrom() throws IOException {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/shadow"), "mine");
        swapForSymlink("d");

        assertThrows(UnsafePathException.class, () -> archive.keepCopy("d/shadow"), "the descriptor walk refuses");
        assertThrows(UnsafePathException.class, () -> fs.archiveCopy("d/shadow"));
        assertThrows(UnsafePathException.class, () -> fs.archive("d/shadow"));

        assertFalse(Files.exists(root.resolve(".peersync/archive/d"), LinkOption.NOFOLLOW_LINKS));
        assertNothingFromOutside();
    }

    @Test
    void anArchiveDirectorySwappedForASymlinkIsNotWrittenListedPrunedOrRestoredFrom() throws IOException {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/f"), "mine");
        String kept = fs.archiveCopy("d/f");
        swapForSymlink(".peersync/archive/d");
        clock.advance(Duration.ofDays(400));

        assertThrows(UnsafePathException.class, () -> fs.archiveCopy("d/f"));
        assertThrows(UnsafePathException.class, () -> fs.archive("d/f"));
        assertThrows(UnsafePathException.class, () -> fs.archived("d/f"), "outside names are not listed");
        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(kept, "d/f"));
        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(".peersync/archive/d/shadow" + STAMP, "d/g"));
        assertEquals(1, fs.pruneArchive(1, Duration.ofDays(1)),
                "only the real version (in the directory moved aside) is pruned; the link is not entered");
        assertEquals("mine", Files.readString(root.resolve("d/f")));
        assertFalse(Files.exists(root.resolve("d/g"), LinkOption.NOFOLLOW_LINKS));
        assertNothingFromOutside();

        swapForSymlink(".peersync/archive");
        assertThrows(UnsafePathException.class, () -> fs.archiveCopy("d/f"));
        assertThrows(UnsafePathException.class, () -> fs.pruneArchive(1, Duration.ofDays(1)));
        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(".peersync/archive/f" + STAMP, "f"));
        assertFalse(Files.exists(root.resolve("f"), LinkOption.NOFOLLOW_LINKS));
        assertNothingFromOutside();
    }

    @Test
    void aVersionThatIsASymlinkToOutsideIsNotRestoredAndATmpSymlinkIsRefused() throws IOException {
        Path versions = Files.createDirectories(root.resolve(".peersync/archive"));
        Files.createSymbolicLink(versions.resolve("f" + STAMP), outside.dir.resolve("shadow"));
        Files.createSymbolicLink(versions.resolve("g" + STAMP), Path.of("../../../outside/shadow"));

        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(".peersync/archive/f" + STAMP, "f"));
        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(".peersync/archive/g" + STAMP, "g"));
        assertFalse(Files.exists(root.resolve("f"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(root.resolve("g"), LinkOption.NOFOLLOW_LINKS));

        Files.writeString(root.resolve("h"), "mine");
        String kept = fs.archiveCopy("h");
        swapForSymlink(".peersync/tmp");
        assertThrows(UnsafePathException.class, () -> fs.restoreArchived(kept, "h"));
        assertThrows(UnsafePathException.class, () -> fs.openTemp("t", true));
        assertThrows(UnsafePathException.class, () -> fs.deleteTemp("shadow"));
        assertThrows(UnsafePathException.class, fs::temps);
        assertEquals("mine", Files.readString(root.resolve("h")));
        assertNothingFromOutside();
    }

    @Test
    void directoriesSwappedForSymlinksWhileArchivingNeverLeadOutside() throws Exception {
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/shadow"), "mine");
        Files.createSymbolicLink(root.resolve("swap"), outside.dir);
        Files.createDirectories(root.resolve(".peersync/archive/d"));
        Files.createSymbolicLink(root.resolve(".peersync/archive/swap"), outside.dir);
        int[] steps = Outside.whileSwapping(root, () -> {
            clock.advance(Duration.ofSeconds(1));
            String version = archive.keepCopy("d/shadow");
            fs.archived("d/shadow");
            fs.restoreArchived(version, "restored");
            fs.pruneArchive(1, Duration.ofDays(1));
        }, "d", "swap", ".peersync/archive/d", ".peersync/archive/swap");
        assertTrue(steps[0] + steps[1] > 0);
        assertNothingFromOutside();
    }
}
