package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedTreeTest {
    @TempDir
    Path root;

    private NioFolderFs fs() throws IOException {
        return NioFolderFs.init(root);
    }

    private static void temp(NioFolderFs fs, String name, String content) throws IOException {
        try (FileChannel ch = fs.openTemp(name, true)) {
            fs.writeAt(ch, 0, java.nio.ByteBuffer.wrap(content.getBytes()));
        }
        fs.prepareTemp(name, 1_000_000_000L, 0644);
    }

    @Test
    void swapsADirectoryForItsNewVersionAtOnceAndArchivesReplacedFiles() throws IOException {
        NioFolderFs fs = fs();
        Path plugin = root.resolve("plugins/foo");
        Files.createDirectories(plugin.resolve("inc"));
        Files.writeString(plugin.resolve("a.php"), "v1 a");
        Files.writeString(plugin.resolve("inc/b.php"), "v1 b");
        Files.writeString(plugin.resolve("keep.txt"), "unchanged");
        Files.writeString(plugin.resolve("gone.php"), "v1 gone");
        Path openedBefore = plugin.resolve("keep.txt");
        long inode = (Long) Files.getAttribute(openedBefore, "unix:ino");

        Optional<StagedTree> stage = fs.stage("plugins/foo");
        assertTrue(stage.isPresent(), "renameat2 is available on Linux");
        temp(fs, "t1", "v2 a");
        temp(fs, "t2", "v2 new");
        try (StagedTree tree = stage.get()) {
            tree.put("a.php", "t1");
            tree.mkdirs("lib", 0755);
            tree.put("lib/new.php", "t2");
            assertTrue(tree.delete("gone.php"));
            tree.fsync();
            assertEquals("v1 a", Files.readString(plugin.resolve("a.php")), "nothing visible before the swap");
            tree.swap();
            tree.archiveOld(List.of("a.php", "gone.php"));
        }
        assertEquals("v2 a", Files.readString(plugin.resolve("a.php")));
        assertEquals("v2 new", Files.readString(plugin.resolve("lib/new.php")));
        assertEquals("v1 b", Files.readString(plugin.resolve("inc/b.php")));
        assertFalse(Files.exists(plugin.resolve("gone.php")));
        assertEquals(inode, Files.getAttribute(plugin.resolve("keep.txt"), "unix:ino"), "unchanged files are linked");
        assertEquals(1, fs.archived("plugins/foo/a.php").size());
        assertEquals(1, fs.archived("plugins/foo/gone.php").size());
        try (var left = Files.list(root.resolve(".peersync/tmp"))) {
            assertEquals(0, left.count(), "the old tree is removed on close");
        }
    }

    @Test
    void anAbandonedStageChangesNothing() throws IOException {
        NioFolderFs fs = fs();
        Files.createDirectories(root.resolve("d"));
        Files.writeString(root.resolve("d/x"), "old");
        temp(fs, "t", "new");
        try (StagedTree tree = fs.stage("d").orElseThrow()) {
            tree.put("x", "t");
        }
        assertEquals("old", Files.readString(root.resolve("d/x")));
    }

    @Test
    void refusesTheRootAMissingDirectoryAndEscapingSymlinks() throws IOException {
        NioFolderFs fs = fs();
        assertTrue(fs.stage("").isEmpty());
        assertTrue(fs.stage("missing").isEmpty());
        Files.createDirectories(root.resolve("d"));
        try (StagedTree tree = fs.stage("d").orElseThrow()) {
            assertThrows(UnsafePathException.class, () -> tree.symlink("l", "../../outside"));
            tree.symlink("ok", "../d/x");
        }
    }

    @Test
    void staleStagesAreRemovedWhenTheFolderOpens() throws IOException {
        NioFolderFs fs = fs();
        Files.createDirectories(root.resolve("d"));
        fs.stage("d").orElseThrow(); // left behind, as by a crash
        NioFolderFs.open(root, java.time.Clock.systemUTC());
        try (var left = Files.list(root.resolve(".peersync/tmp"))) {
            assertEquals(0, left.count());
        }
    }
}
