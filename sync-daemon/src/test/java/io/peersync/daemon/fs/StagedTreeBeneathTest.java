package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.ignore.IgnoredContent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local user who can write the folder, {@code .peersync/tmp/} included, swaps directories of the live tree or of
 * the stage for symlinks to a directory outside: nothing outside is read into the copy, linked, chowned, chmodded
 * or written, and the staging fails with an {@link IOException} or copies the link as a link.
 */
class StagedTreeBeneathTest {
    private static final IgnoredContent.Rules ALL_DELETABLE = IgnoredContent.Rules.of((p, d) -> true, (p, d) -> true);

    @TempDir
    Path dir;

    private Path root;
    private Path outside;
    private Outside outsideState;

    private NioFolderFs folder() throws IOException {
        root = Files.createDirectories(dir.resolve("folder"));
        outsideState = Outside.at(dir.resolve("outside"));
        outside = outsideState.dir;
        return NioFolderFs.init(root);
    }

    private void assertOutsideUntouched() throws IOException {
        outsideState.assertUntouched();
    }

    private Path onlyStage() throws IOException {
        try (Stream<Path> stages = Files.list(root.resolve(".peersync/tmp"))) {
            return stages.filter(p -> p.getFileName().toString().startsWith("stage-")).findFirst().orElseThrow();
        }
    }

    @Test
    void aLiveDirectoryThatIsASymlinkIsCopiedAsTheSymlinkItself() throws IOException {
        NioFolderFs fs = folder();
        Path plugin = Files.createDirectories(root.resolve("plugins/foo"));
        Files.writeString(plugin.resolve("a.php"), "v1");
        Files.createSymbolicLink(plugin.resolve("inc"), outside);
        StagedTreeLocalStateTest.temp(fs, "t1", "v2");
        try (StagedTree tree = fs.stage("plugins/foo").orElseThrow()) {
            tree.put("a.php", "t1");
            tree.setMode("inc", 0777);
            tree.fsync();
            tree.swap();
            assertEquals(0, tree.keepLocalWrites(Set.of("a.php"), Set.of()));
        }
        assertEquals("v2", Files.readString(plugin.resolve("a.php")));
        assertEquals(outside, Files.readSymbolicLink(plugin.resolve("inc")), "still the same symlink");
        assertOutsideUntouched();
    }

    @Test
    void aStageDirectorySwappedForASymlinkIsRefusedWhateverTheStepIs() throws IOException {
        NioFolderFs fs = folder();
        Path plugin = root.resolve("plugins/foo");
        Files.createDirectories(plugin.resolve("inc/sub"));
        Files.writeString(plugin.resolve("inc/b.php"), "v1");
        Files.writeString(plugin.resolve("a.php"), "v1");
        StagedTreeLocalStateTest.temp(fs, "t1", "v2");
        try (StagedTree tree = fs.stage("plugins/foo").orElseThrow()) {
            Path stage = onlyStage();
            Files.move(stage.resolve("inc"), stage.resolve("inc.moved"));
            Files.createSymbolicLink(stage.resolve("inc"), outside);

            assertThrows(UnsafePathException.class, () -> tree.put("inc/shadow", "t1"));
            assertThrows(UnsafePathException.class, () -> tree.mkdirs("inc/deep/made", 0777));
            assertThrows(UnsafePathException.class, () -> tree.symlink("inc/l", "../a.php"));
            assertThrows(UnsafePathException.class, () -> tree.setMode("inc/shadow", 0666));
            assertThrows(UnsafePathException.class, () -> tree.delete("inc/shadow"));
            assertThrows(UnsafePathException.class, () -> tree.deleteDirectory("inc/deep", ALL_DELETABLE));
            assertThrows(UnsafePathException.class, tree::fsync, "inc/sub was copied, and is now reached by a link");
            assertOutsideUntouched();

            tree.put("a.php", "t1");
            tree.swap();
            Path archive = root.resolve(".peersync/archive");
            Files.move(archive, root.resolve(".peersync/archive.moved"));
            Files.createSymbolicLink(archive, outside);
            assertThrows(UnsafePathException.class, () -> tree.archiveOld(List.of("a.php")));
        }
        assertEquals("v2", Files.readString(plugin.resolve("a.php")));
        assertTrue(Files.isSymbolicLink(plugin.resolve("inc")), "the swapped-in link went live as a link, as written");
        try (Stream<Path> left = Files.list(root.resolve(".peersync/tmp"))) {
            assertEquals(0, left.count(), "the old tree, the attacker's link in it included, is removed");
        }
        assertOutsideUntouched();
    }

    @Test
    void aDeletedDirectoryHoldingASymlinkLosesTheLinkNotItsTarget() throws IOException {
        NioFolderFs fs = folder();
        Path plugin = root.resolve("plugins/foo");
        Files.createDirectories(plugin.resolve("cache"));
        Files.createSymbolicLink(plugin.resolve("cache/evil"), outside);
        try (StagedTree tree = fs.stage("plugins").orElseThrow()) {
            assertTrue(tree.deleteDirectory("foo", ALL_DELETABLE));
            tree.swap();
        }
        assertFalse(Files.exists(plugin, LinkOption.NOFOLLOW_LINKS));
        Files.createDirectories(plugin.resolve("cache"));
        Files.createSymbolicLink(plugin.resolve("cache/evil"), outside);
        assertTrue(fs.deleteDirectory("plugins/foo", ALL_DELETABLE), "the live tree likewise");
        assertFalse(Files.exists(plugin, LinkOption.NOFOLLOW_LINKS));
        assertOutsideUntouched();
    }

    @Test
    void aDirectorySwappedForASymlinkWhileItIsCopiedFailsTheStagingOrIsCopiedAsALink() throws Exception {
        NioFolderFs fs = folder();
        Path plugin = root.resolve("plugins/foo");
        Files.createDirectories(plugin.resolve("inc/deep"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(plugin.resolve("inc/f" + i), "f" + i);
            Files.writeString(plugin.resolve("inc/deep/g" + i), "g" + i);
        }
        Files.createSymbolicLink(plugin.resolve("swap"), outside);
        int[] stagings = Outside.whileSwapping(root, () -> fs.stage("plugins/foo").orElseThrow().close(),
                "plugins/foo/inc", "plugins/foo/swap");
        assertTrue(stagings[0] + stagings[1] > 0);
        assertOutsideUntouched();
        NioFolderFs.open(root, java.time.Clock.systemUTC()); // removes what a refused staging could not
        try (Stream<Path> left = Files.list(root.resolve(".peersync/tmp"))) {
            assertEquals(0, left.count());
        }
    }
}
