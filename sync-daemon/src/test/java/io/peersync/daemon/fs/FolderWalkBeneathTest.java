package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user swaps a directory of the folder, or {@code .peersync/} and its directories, for a symlink to a
 * directory outside: the scan lists and stats nothing outside (the swapped directory is the symlink it now is, or its
 * walk fails), a directory fsync opens nothing outside (nor waits on a FIFO), and the folder does not open.
 */
class FolderWalkBeneathTest {
    @TempDir
    Path dir;

    private Path root;
    private Outside outside;

    private NioFolderFs folder() throws IOException {
        root = dir.resolve("folder");
        NioFolderFs fs = NioFolderFs.init(root);
        outside = Outside.at(dir.resolve("outside"));
        return fs;
    }

    /** What a walk visits, and the paths it reports as failed with their errors. */
    private record Walked(Map<String, FileMeta> visited, Map<String, IOException> failed) {
    }

    private static Walked walk(FolderFs fs, String start, FolderFs.Visitor first) throws IOException {
        Walked walked = new Walked(new TreeMap<>(), new TreeMap<>());
        fs.walk(start, new FolderFs.Visitor() {
            @Override
            public boolean visit(String path, FileMeta meta) throws IOException {
                walked.visited().put(path, meta);
                return first.visit(path, meta);
            }

            @Override
            public void failed(String path, IOException error) {
                walked.failed().put(path, error);
            }
        });
        return walked;
    }

    @Test
    void aDirectorySwappedForASymlinkAfterItWasListedIsNotWalkedInto() throws IOException {
        NioFolderFs fs = folder();
        Files.createDirectories(root.resolve("a/dir"));
        Files.writeString(root.resolve("a/dir/mine"), "mine");

        Walked walked = walk(fs, "", (path, meta) -> {
            if (path.equals("a/dir")) { // listed and stat'ed as a directory: now swapped before the walk enters it
                Files.move(root.resolve("a/dir"), root.resolve("a/moved"));
                Files.createSymbolicLink(root.resolve("a/dir"), outside.dir);
            }
            return true;
        });

        assertEquals(List.of("a", "a/dir"), List.copyOf(walked.visited().keySet()), "nothing inside the link");
        assertEquals(List.of("a/dir"), List.copyOf(walked.failed().keySet()));
        assertInstanceOf(UnsafePathException.class, walked.failed().get("a/dir"), "refused, not followed");
        Walked again = walk(fs, "a", (path, meta) -> true);
        assertEquals(FileType.SYMLINK, again.visited().get("a/dir").type(), "the next scan sees the symlink");
        assertEquals(outside.dir.toString(), again.visited().get("a/dir").symlinkTarget());
        assertFalse(again.visited().containsKey("a/dir/shadow"));
        assertTrue(fs.stat("a/dir/shadow").isEmpty(), "not stat'ed through the link");
        assertTrue(fs.stat("a/dir/deep/x").isEmpty());
        outside.assertUntouched();
    }

    @Test
    void directoriesSwappedForSymlinksWhileTheScanRunsShowNothingFromOutside() throws Exception {
        NioFolderFs fs = folder();
        Files.createDirectories(root.resolve("a/dir/sub"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(root.resolve("a/dir/f" + i), "f" + i);
            Files.writeString(root.resolve("a/dir/sub/g" + i), "g" + i);
        }
        Files.createSymbolicLink(root.resolve("a/swap"), outside.dir);
        int[] walks = Outside.whileSwapping(root, () -> {
            for (String path : walk(fs, "", (p, meta) -> true).visited().keySet()) {
                assertFalse(path.endsWith("/shadow") || path.contains("/deep"), path + " is from outside");
            }
        }, "a/dir", "a/swap");
        assertTrue(walks[0] > 0);
        outside.assertUntouched();
    }

    @Test
    void aDirectoryFsyncOpensNoSymlinkNorFifo() throws Exception {
        NioFolderFs fs = folder();
        Files.createSymbolicLink(root.resolve("d"), outside.dir);
        Process mkfifo = new ProcessBuilder("mkfifo", root.resolve("p").toString()).start();
        assertTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0);

        assertThrows(UnsafePathException.class, () -> fs.fsyncDirectory("d"));
        assertThrows(UnsafePathException.class, () -> fs.fsyncDirectory("p"), "refused, not waiting for a writer");
        Files.createDirectories(root.resolve("real"));
        fs.fsyncDirectory("real");
        fs.fsyncDirectory("");
        outside.assertUntouched();
    }

    @Test
    void theInternalDirectoriesAreMadeBeneathTheRootAndRefusedWhenSymlinks() throws IOException {
        folder();
        Path outsideInternal = Files.createDirectories(dir.resolve("outside-internal"));
        Files.writeString(outsideInternal.resolve("folder-marker"), "a marker, but outside");
        Files.move(root.resolve(".peersync"), root.resolve(".peersync.moved"));
        Files.createSymbolicLink(root.resolve(".peersync"), outsideInternal);

        assertThrows(UnsafePathException.class, () -> NioFolderFs.open(root, Clock.systemUTC()));
        assertThrows(UnsafePathException.class, () -> NioFolderFs.init(root));
        try (var made = Files.list(outsideInternal)) {
            assertEquals(List.of(outsideInternal.resolve("folder-marker")), made.toList(), "no tmp or archive made");
        }

        Files.delete(root.resolve(".peersync"));
        Files.move(root.resolve(".peersync.moved"), root.resolve(".peersync"));
        for (String internal : List.of(".peersync/tmp", ".peersync/archive")) {
            Path d = root.resolve(internal);
            Files.move(d, d.resolveSibling("moved"));
            Files.createSymbolicLink(d, outside.dir);
            assertThrows(UnsafePathException.class, () -> NioFolderFs.open(root, Clock.systemUTC()), internal);
            Files.delete(d);
            Files.move(d.resolveSibling("moved"), d);
        }
        Files.delete(root.resolve(".peersync/archive"));
        NioFolderFs.open(root, Clock.systemUTC());
        assertTrue(Files.isDirectory(root.resolve(".peersync/archive"), LinkOption.NOFOLLOW_LINKS), "made again");
        outside.assertUntouched();
    }
}
