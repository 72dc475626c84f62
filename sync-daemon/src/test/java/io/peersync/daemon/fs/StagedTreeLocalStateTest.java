package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A swapped directory keeps what the node had: owner, group, setgid, ACLs, xattrs, special files, local writes. */
class StagedTreeLocalStateTest {
    @TempDir
    Path root;

    static void temp(NioFolderFs fs, String name, String content) throws IOException {
        try (FileChannel ch = fs.openTemp(name, true)) {
            fs.writeAt(ch, 0, ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
        }
        fs.prepareTemp(name, 1_000_000_000L, 0644);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
        return out;
    }

    private static Map<String, Object> owner(Path p) throws IOException {
        return Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void theSwappedDirectoryKeepsOwnerGroupModeAclsXattrsAndSpecialFiles() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving a directory to www-data needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setfacl")), "needs setfacl (Debian's acl package)");
        NioFolderFs fs = NioFolderFs.init(root);
        Path plugin = Files.createDirectories(root.resolve("plugins/foo/inc"));
        Path pluginDir = root.resolve("plugins/foo");
        Files.writeString(pluginDir.resolve("a.php"), "v1");
        Files.setAttribute(pluginDir, "unix:uid", 33, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(pluginDir, "unix:gid", 33, LinkOption.NOFOLLOW_LINKS);
        run("chmod", "2775", pluginDir.toString());
        run("setfacl", "-m", "u:nobody:rwx", "-m", "d:u:nobody:rwx", pluginDir.toString());
        Files.getFileAttributeView(pluginDir, UserDefinedFileAttributeView.class)
                .write("peersync.test", ByteBuffer.wrap("kept".getBytes(StandardCharsets.UTF_8)));
        run("mkfifo", pluginDir.resolve("inc/queue").toString());
        Map<String, Object> before = owner(pluginDir);
        String aclBefore = run("getfacl", "-p", pluginDir.toString());

        temp(fs, "t1", "v2");
        try (StagedTree tree = fs.stage("plugins/foo").orElseThrow()) {
            tree.put("a.php", "t1");
            tree.fsync();
            tree.swap();
            tree.keepLocalWrites(Set.of("a.php"), Set.of());
        }
        assertEquals("v2", Files.readString(pluginDir.resolve("a.php")));
        assertEquals(before, owner(pluginDir), "owner, group and mode (setgid included)");
        assertEquals(aclBefore, run("getfacl", "-p", pluginDir.toString()), "ACLs, default ACL included");
        ByteBuffer value = ByteBuffer.allocate(16);
        Files.getFileAttributeView(pluginDir, UserDefinedFileAttributeView.class).read("peersync.test", value);
        assertEquals("kept", new String(value.array(), 0, value.position(), StandardCharsets.UTF_8));
        assertTrue((Boolean) Files.getAttribute(pluginDir.resolve("inc/queue"), "unix:isOther",
                LinkOption.NOFOLLOW_LINKS), "the FIFO is still there");
        assertTrue(Files.isDirectory(plugin));
    }

    @Test
    void whatADeletedDirectoryHeldIsNotCarriedBack() throws IOException {
        NioFolderFs fs = NioFolderFs.init(root);
        Path dir = Files.createDirectories(root.resolve("plugins/foo/cache"));
        Files.writeString(dir.resolve("page.html"), "a cached page, ignored with (?d)");
        Files.writeString(root.resolve("plugins/foo/a.php"), "v1");
        io.peersync.daemon.ignore.IgnoredContent.Rules cacheGoes = io.peersync.daemon.ignore.IgnoredContent.Rules.of(
                (p, d) -> p.contains("/cache"), (p, d) -> p.contains("/cache"));
        try (StagedTree tree = fs.stage("plugins/foo").orElseThrow()) {
            assertTrue(tree.deleteDirectory("cache", cacheGoes));
            tree.swap();
            assertEquals(0, tree.keepLocalWrites(Set.of("cache"), Set.of("cache")));
        }
        assertFalse(Files.exists(dir), "the set deleted it, with its (?d) content");
        assertEquals("v1", Files.readString(root.resolve("plugins/foo/a.php")));
    }

    @Test
    void filesWrittenLocallyWhileTheSetIsStagedAreKeptAndLocalDeletionsStay() throws IOException {
        NioFolderFs fs = NioFolderFs.init(root);
        Path dir = Files.createDirectories(root.resolve("plugins/foo"));
        Files.writeString(dir.resolve("a.php"), "v1");
        Files.writeString(dir.resolve("cache.txt"), "cache 1");
        Files.writeString(dir.resolve("appended.log"), "line 1\n");
        Files.writeString(dir.resolve("removed.tmp"), "soon gone");
        temp(fs, "t1", "v2");
        try (StagedTree tree = fs.stage("plugins/foo").orElseThrow()) {
            tree.put("a.php", "t1");
            // A local process works in the live directory meanwhile.
            Files.writeString(dir.resolve("new-cache.txt"), "written while staged");
            Files.createDirectories(dir.resolve("made/deeper"));
            Files.writeString(dir.resolve("made/deeper/x"), "x");
            Path replacement = Files.writeString(dir.resolve(".cache.txt.new"), "cache 2");
            Files.move(replacement, dir.resolve("cache.txt"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(dir.resolve("appended.log"), "line 2\n", java.nio.file.StandardOpenOption.APPEND);
            Files.delete(dir.resolve("removed.tmp"));
            tree.fsync();
            tree.swap();
            assertEquals(6, tree.keepLocalWrites(Set.of("a.php"), Set.of()), "2 files, 3 directories, 1 deletion");
            Files.writeString(dir.resolve("after-swap.txt"), "written into the new tree");
        }
        assertEquals("v2", Files.readString(dir.resolve("a.php")), "the set's own change");
        assertEquals("written while staged", Files.readString(dir.resolve("new-cache.txt")));
        assertEquals("x", Files.readString(dir.resolve("made/deeper/x")));
        assertEquals("cache 2", Files.readString(dir.resolve("cache.txt")), "replaced by rename while staged");
        assertEquals("line 1\nline 2\n", Files.readString(dir.resolve("appended.log")), "appended in place");
        assertFalse(Files.exists(dir.resolve("removed.tmp")), "deleted while staged: stays deleted");
        assertEquals("written into the new tree", Files.readString(dir.resolve("after-swap.txt")),
                "closing the old tree later deletes nothing new");
    }
}
