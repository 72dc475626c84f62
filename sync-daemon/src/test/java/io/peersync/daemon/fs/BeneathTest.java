package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File operations that a local user who can write the folder cannot redirect outside it with symlinks. */
class BeneathTest {
    @TempDir
    Path dir;

    private int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private interface Op {
        void run(NioFolderFs fs, String path) throws IOException;
    }

    @Test
    void modeOwnerTimesAndReadsGoThroughADescriptorAndNeverThroughASymlink() throws Exception {
        assertTrue(Beneath.available(), "Linux with JNA");
        Path root = Files.createDirectories(dir.resolve("folder"));
        NioFolderFs fs = NioFolderFs.init(root);
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("passwd"), "root:x:0:0\n");
        Files.setAttribute(secret, "unix:mode", 0600);
        Files.createDirectories(root.resolve("plugins/ok"));
        Files.writeString(root.resolve("plugins/ok/a.php"), "<?php\n");
        // The attacker's links: a parent that leads outside, and a last component that does.
        Files.createSymbolicLink(root.resolve("plugins/evil"), outside);
        Files.createSymbolicLink(root.resolve("plugins/ok/link"), secret);

        fs.setMode("plugins/ok/a.php", 0640);
        assertEquals(0640, mode(root.resolve("plugins/ok/a.php")));
        fs.setTimes("plugins/ok/a.php", 1_000_000_000_000L);
        assertEquals(1_000_000_000_000L, Files.getLastModifiedTime(root.resolve("plugins/ok/a.php")).toMillis() * 1_000_000);
        try (FileChannel ch = fs.openReadChannel("plugins/ok/a.php")) {
            ByteBuffer b = ByteBuffer.allocate(16);
            ch.read(b);
            assertEquals("<?php\n", new String(b.array(), 0, b.position(), StandardCharsets.UTF_8));
        }

        List<Op> ops = List.of((f, p) -> f.setMode(p, 0666), (f, p) -> f.setTimes(p, 5_000_000_000L),
                (f, p) -> f.openReadChannel(p).close(), (f, p) -> f.setOwner(p, "nobody", null));
        for (Op op : ops) {
            assertThrows(UnsafePathException.class, () -> op.run(fs, "plugins/evil/passwd"), "through a symlinked parent");
        }
        long secretTime = Files.getLastModifiedTime(secret).toMillis();
        for (Op op : List.of(ops.get(0), ops.get(1))) {
            op.run(fs, "plugins/ok/link"); // on a symlink itself: it has no mode of its own, and times of its own
        }
        assertEquals(secretTime, Files.getLastModifiedTime(secret).toMillis(), "the link's target keeps its time");
        assertThrows(UnsafePathException.class, () -> fs.openReadChannel("plugins/ok/link").close());
        assertEquals(0600, mode(secret), "the file outside keeps its mode");
        assertEquals("root:x:0:0\n", Files.readString(secret));
        assertEquals(0, (Integer) Files.getAttribute(secret, "unix:uid"), "and its owner");
    }

    @Test
    void theComponentWalkOfOlderKernelsRefusesSymlinksToo() throws Exception {
        Path root = Files.createDirectories(dir.resolve("folder"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("x"), "x");
        Files.createDirectories(root.resolve("a/b"));
        Files.writeString(root.resolve("a/b/f"), "f");
        Files.createSymbolicLink(root.resolve("a/s"), outside);
        Files.createSymbolicLink(root.resolve("a/b/l"), outside.resolve("x"));
        Beneath.atByWalk(root, "a/b/f", p -> {
            Files.setAttribute(p, "unix:mode", 0604);
            return null;
        });
        assertEquals(0604, mode(root.resolve("a/b/f")));
        assertThrows(UnsafePathException.class, () -> Beneath.atByWalk(root, "a/s/x", p -> null));
        assertThrows(UnsafePathException.class, () -> Beneath.atByWalk(root, "a/b/l", p -> null));
        assertThrows(NoSuchFileException.class, () -> Beneath.atByWalk(root, "a/b/none", p -> null));
        assertThrows(IllegalArgumentException.class, () -> Beneath.atByWalk(root, "a/../../outside/x", p -> null));
    }

    @Test
    void renamesLinksAndDeletionsGoThroughDescriptorsOfTheirParents() throws Exception {
        Path root = Files.createDirectories(dir.resolve("folder"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path passwd = Files.writeString(outside.resolve("passwd"), "root:x:0:0\n");
        Files.createDirectories(root.resolve("x"));
        Files.writeString(root.resolve("x/new"), "content a peer chose");
        // The race the text check cannot see: the parent is a symlink by the time the rename runs.
        Files.createSymbolicLink(root.resolve("etc"), outside);
        assertThrows(UnsafePathException.class, () -> Beneath.rename(root, "x/new", "etc/passwd"));
        assertThrows(UnsafePathException.class, () -> Beneath.symlink(root, "etc/l", "../x"));
        assertThrows(UnsafePathException.class, () -> Beneath.delete(root, "etc/passwd", false));
        assertEquals("root:x:0:0\n", Files.readString(passwd), "nothing outside was replaced or deleted");
        assertEquals(List.of(passwd), Files.list(outside).toList());

        Beneath.rename(root, "x/new", "x/renamed");
        assertEquals("content a peer chose", Files.readString(root.resolve("x/renamed")));
        Beneath.symlink(root, "x/l", "renamed");
        assertEquals(Path.of("renamed"), Files.readSymbolicLink(root.resolve("x/l")));
        Files.writeString(root.resolve("x/other"), "o");
        Beneath.rename(root, "x/other", "x/l");
        assertEquals("o", Files.readString(root.resolve("x/l")), "a symlink at the target is replaced, not followed");
        assertEquals("content a peer chose", Files.readString(root.resolve("x/renamed")));
        assertTrue(Beneath.delete(root, "x/l", false));
        assertEquals(false, Beneath.delete(root, "x/l", false), "nothing there any more");
        assertThrows(java.nio.file.DirectoryNotEmptyException.class, () -> Beneath.delete(root, "x", true));
        assertThrows(UnsafePathException.class, () -> Beneath.mkdir(root, "etc/made"));
        Files.createDirectories(root.resolve("one"));
        Files.writeString(root.resolve("one/f"), "1");
        Files.createDirectories(root.resolve("two"));
        assertThrows(UnsafePathException.class, () -> Beneath.exchange(root, "one", "etc/anything"));
        Beneath.mkdir(root, "two/made");
        Beneath.exchange(root, "one", "two");
        assertTrue(Files.isDirectory(root.resolve("one/made")), "exchanged");
        assertEquals("1", Files.readString(root.resolve("two/f")));
        assertEquals(List.of(passwd), Files.list(outside).toList(), "nothing was made outside");
    }

    @Test
    void onlyPermissionBitsAreAppliedOrRecorded() throws Exception {
        Path root = Files.createDirectories(dir.resolve("folder"));
        NioFolderFs fs = NioFolderFs.init(root);
        Files.writeString(root.resolve("tool"), "#!/bin/sh\n");
        fs.setMode("tool", 04755);
        assertEquals(0755, mode(root.resolve("tool")), "setuid from a peer is never applied");
        Files.setAttribute(root.resolve("tool"), "unix:mode", 06755);
        assertEquals(0755, fs.stat("tool").orElseThrow().mode(), "nor recorded, so never sent");
        fs.mkdirs("shared", 03777);
        assertEquals(0777, mode(root.resolve("shared")));
    }
}
