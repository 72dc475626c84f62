package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Work on the entries of an open directory, by name, that no symlink swapped in meanwhile can redirect. */
class DirectoryFdTest {
    @TempDir
    Path dir;

    @Test
    void aSubdirectorySwappedForASymlinkAfterItWasListedIsRefused() throws Exception {
        Path root = dir.resolve("folder");
        Files.createDirectories(root.resolve("a/sub"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        try (DirectoryFd a = DirectoryFd.open(root, "a")) {
            assertEquals(List.of("sub"), a.names());
            assertTrue(a.stat("sub").orElseThrow().isDirectory());
            Files.move(root.resolve("a/sub"), root.resolve("a/moved"));
            Files.createSymbolicLink(root.resolve("a/sub"), outside);
            UnsafePathException e = assertThrows(UnsafePathException.class, () -> a.child("sub"));
            assertEquals(root.resolve("a/sub") + ": is a symlink or not a directory (expected: a directory; refusing"
                    + " to follow it)", e.getMessage());
            Files.delete(root.resolve("a/sub"));
            Files.move(root.resolve("a/moved"), dir.resolve("elsewhere"));
            Files.createDirectories(root.resolve("a/sub"));
            a.child("sub").close();
        }
        try (DirectoryFd a = DirectoryFd.open(root, "a")) {
            assertThrows(IllegalArgumentException.class, () -> a.stat(".."), "one component, never the parent");
        }
        assertThrows(IllegalArgumentException.class, () -> DirectoryFd.mkdirs(root, "a/sub/../../x"));
    }

    @Test
    void linksMakesAndDeletesWithoutFollowingSymlinks() throws Exception {
        Path root = Files.createDirectories(dir.resolve("folder"));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Path secret = Files.writeString(outside.resolve("secret"), "s");
        Files.createDirectories(root.resolve("from"));
        Files.createSymbolicLink(root.resolve("from/l"), secret);
        Files.createSymbolicLink(root.resolve("evil"), outside);
        try (DirectoryFd from = DirectoryFd.open(root, "from"); DirectoryFd to = DirectoryFd.mkdirs(root, "to/x")) {
            from.link("l", to, "l");
        }
        assertEquals(secret, Files.readSymbolicLink(root.resolve("to/x/l")), "the symlink itself was linked");
        assertEquals(1, (Integer) Files.getAttribute(secret, "unix:nlink"), "not its target");
        assertThrows(UnsafePathException.class, () -> DirectoryFd.mkdirs(root, "evil/made"));
        assertThrows(UnsafePathException.class, () -> DirectoryFd.open(root, "evil"));
        assertEquals(List.of(secret), Files.list(outside).toList(), "nothing was made outside");

        Files.createSymbolicLink(root.resolve("to/x/dir"), outside);
        try (DirectoryFd top = DirectoryFd.open(root, "")) {
            top.deleteTree("to");
            assertFalse(top.delete("to"), "gone");
        }
        assertFalse(Files.exists(root.resolve("to"), LinkOption.NOFOLLOW_LINKS));
        assertTrue(DirectoryFd.deleteAt(root, "evil"), "a symlink to a directory goes as a link");
        assertEquals(List.of(secret), Files.list(outside).toList(), "what the links led to stays");
        assertEquals("s", Files.readString(secret));
    }
}
