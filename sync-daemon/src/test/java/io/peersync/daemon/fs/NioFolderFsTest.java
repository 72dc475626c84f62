package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NioFolderFsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;
    Path root;
    Path outside;
    NioFolderFs fs;

    @BeforeEach
    void setUp() throws IOException {
        root = tmp.resolve("folder");
        outside = Files.createDirectories(tmp.resolve("outside"));
        fs = NioFolderFs.init(root, CLOCK);
    }

    @Test
    void initCreatesInternalDirectoriesAndMarker() throws IOException {
        assertTrue(Files.isDirectory(root.resolve(".peersync/tmp")));
        assertTrue(Files.isDirectory(root.resolve(".peersync/archive")));
        assertTrue(Files.isRegularFile(root.resolve(".peersync/folder-marker")));
        fs.checkMarker();
        assertEquals(root.toRealPath(), NioFolderFs.open(root, CLOCK).root());
    }

    @Test
    void openAndCheckMarkerFailWithoutMarker() throws IOException {
        Files.delete(root.resolve(".peersync/folder-marker"));
        assertThrows(NoSuchFileException.class, fs::checkMarker);
        Path empty = Files.createDirectories(tmp.resolve("unmounted"));
        IOException e = assertThrows(IOException.class, () -> NioFolderFs.open(empty, CLOCK));
        assertTrue(e.getMessage().contains("folder marker missing"), e.getMessage());
    }

    @Test
    void commitTempRenamesAtomicallyWithModeAndMtime() throws IOException {
        byte[] content = "hello, world".getBytes(StandardCharsets.UTF_8);
        FileChannel ch = fs.openTemp("abc.tmp", true);
        fs.writeAt(ch, 7, ByteBuffer.wrap(content, 7, 5));
        fs.writeAt(ch, 0, ByteBuffer.wrap(content, 0, 7));
        fs.fsyncAndClose(ch);
        assertFalse(ch.isOpen());
        long mtime = 1_700_000_000_123_456_789L;

        fs.commitTemp("abc.tmp", "a/b/c.txt", mtime, 0640);

        Path target = root.resolve("a/b/c.txt");
        assertArrayEquals(content, Files.readAllBytes(target));
        assertFalse(Files.exists(fs.tempFile("abc.tmp")));
        FileMeta meta = fs.stat("a/b/c.txt").orElseThrow();
        assertEquals(new FileMeta(FileType.FILE, content.length, mtime, 0640, ""), meta);
    }

    @Test
    void manyTempsAreMadeDurableTogetherThenMovedWithModeAndMtime() throws IOException {
        long mtime = 1_700_000_000_000_000_000L;
        java.util.List<String> temps = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "set-" + i + ".tmp";
            Files.writeString(fs.tempFile(name), "file " + i);
            fs.prepareTempUnsynced(name, mtime + i, 0600 + i % 2 * 0100);
            temps.add(name);
        }

        fs.fsyncTemps(temps); // one syncfs on Linux

        for (int i = 0; i < 20; i++) {
            fs.moveTemp(temps.get(i), "set/f" + i, false);
            assertEquals(new FileMeta(FileType.FILE, ("file " + i).length(), mtime + i, 0600 + i % 2 * 0100, ""),
                    fs.stat("set/f" + i).orElseThrow());
        }
        fs.fsyncTemps(java.util.List.of()); // nothing to do
    }

    @Test
    void fsyncTempsFailsForAMissingTemp() {
        assertThrows(IOException.class, () -> fs.fsyncTemps(java.util.List.of("missing.tmp")));
    }

    @Test
    void syncfsReportsTheSystemsReason() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(FileSystemSync.available(), "syncfs is Linux-only");
        FileSystemSync.sync(root); // the folder's own file system: fine
        java.nio.file.FileSystemException e = assertThrows(java.nio.file.FileSystemException.class,
                () -> FileSystemSync.sync(root.resolve("no-such-dir")));
        assertEquals("open: No such file or directory (errno 2)", e.getReason());
    }

    @Test
    void commitTempReplacesAnExistingFile() throws IOException {
        Files.writeString(root.resolve("f"), "old");
        Files.writeString(fs.tempFile("t"), "new");
        fs.commitTemp("t", "f", 1_000_000_000L, 0444);
        assertEquals("new", Files.readString(root.resolve("f")));
        assertEquals(0444, fs.stat("f").orElseThrow().mode());
    }

    @Test
    void refusesEscapingAndInternalPaths() {
        for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "", "a//b", ".peersync/tmp/x", "./a")) {
            assertThrows(IllegalArgumentException.class, () -> fs.stat(bad), bad);
            assertThrows(IllegalArgumentException.class, () -> fs.mkdirs(bad, 0755), bad);
            assertThrows(IllegalArgumentException.class, () -> fs.delete(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> fs.tempFile("../x"));
        assertThrows(IllegalArgumentException.class, () -> fs.tempFile("a/b"));
    }

    @Test
    void refusesWritesThroughSymlinkedParentDirectory() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("real/inner"), outside);
        Files.writeString(outside.resolve("victim"), "keep");
        Files.writeString(fs.tempFile("t"), "evil");

        assertThrows(UnsafePathException.class, () -> fs.commitTemp("t", "link/victim", 0, 0644));
        assertThrows(UnsafePathException.class, () -> fs.commitTemp("t", "real/inner/victim", 0, 0644));
        assertThrows(UnsafePathException.class, () -> fs.commitTemp("t", "link/new/file", 0, 0644));
        assertThrows(UnsafePathException.class, () -> fs.mkdirs("link/sub", 0755));
        assertThrows(UnsafePathException.class, () -> fs.delete("link/victim"));
        assertThrows(UnsafePathException.class, () -> fs.openRead("link/victim"));
        assertThrows(UnsafePathException.class, () -> fs.createSymlink("link/l", "x"));
        assertThrows(UnsafePathException.class, () -> fs.archive("link/victim"));
        assertThrows(UnsafePathException.class, () -> fs.setMode("link/victim", 0777));
        assertTrue(fs.stat("link/victim").isEmpty(), "stat does not look through a symlinked parent");

        assertEquals("keep", Files.readString(outside.resolve("victim")));
        assertFalse(Files.exists(outside.resolve("sub")));
        assertFalse(Files.exists(outside.resolve("new")));
    }

    @Test
    void openReadRefusesAFinalSymlink() throws IOException {
        Files.writeString(outside.resolve("secret"), "s");
        Files.createSymbolicLink(root.resolve("l"), outside.resolve("secret"));
        assertThrows(IOException.class, () -> fs.openRead("l").close());
    }

    @Test
    void createSymlinkRefusesTargetsOutsideTheFolder() throws IOException {
        for (String target : List.of("/etc/passwd", "../../outside", "x/../../../y", "../..", "../.peersync/tmp", "")) {
            IOException e = assertThrows(UnsafePathException.class, () -> fs.createSymlink("d/link", target));
            assertTrue(e.getMessage().startsWith("symlink d/link"), e.getMessage());
        }
        assertThrows(UnsafePathException.class, () -> fs.createSymlink("top", "/etc/passwd"));
        assertThrows(UnsafePathException.class, () -> fs.createSymlink("top", "../x"));

        fs.createSymlink("d/link", "../file");
        fs.createSymlink("d/self", "..");
        assertEquals("../file", Files.readSymbolicLink(root.resolve("d/link")).toString());
        FileMeta meta = fs.stat("d/link").orElseThrow();
        assertEquals(FileType.SYMLINK, meta.type());
        assertEquals("../file", meta.symlinkTarget());
    }

    @Test
    void archiveMovesTheFileUnderArchiveWithATimestamp() throws IOException {
        Files.createDirectories(root.resolve("dir"));
        Files.writeString(root.resolve("dir/f.txt"), "v1");
        assertEquals(".peersync/archive/dir/f.txt~20240102-030405", fs.archive("dir/f.txt"));
        assertFalse(Files.exists(root.resolve("dir/f.txt")));
        assertEquals("v1", Files.readString(root.resolve(".peersync/archive/dir/f.txt~20240102-030405")));

        Files.writeString(root.resolve("dir/f.txt"), "v2");
        assertEquals(".peersync/archive/dir/f.txt~20240102-030405-2", fs.archive("dir/f.txt"));
        assertEquals("v2", Files.readString(root.resolve(".peersync/archive/dir/f.txt~20240102-030405-2")));

        assertThrows(NoSuchFileException.class, () -> fs.archive("dir/f.txt"));
        assertThrows(IOException.class, () -> fs.archive("dir"));
    }

    @Test
    void deleteRemovesFilesSymlinksAndEmptyDirectoriesOnly() throws IOException {
        Files.createDirectories(root.resolve("full"));
        Files.writeString(root.resolve("full/f"), "x");
        Files.createDirectories(root.resolve("empty"));
        Files.createSymbolicLink(root.resolve("l"), root.resolve("full"));

        assertTrue(fs.delete("l"));
        assertTrue(Files.exists(root.resolve("full/f")), "the link's target stays");
        assertThrows(DirectoryNotEmptyException.class, () -> fs.delete("full"));
        assertTrue(fs.delete("full/f"));
        assertTrue(fs.delete("full"));
        assertTrue(fs.delete("empty"));
        assertFalse(fs.delete("empty"));
    }

    @Test
    void mkdirsSetsTheModeOfTheLeaf() throws IOException {
        fs.mkdirs("a/b/c", 0750);
        assertEquals(0750, fs.stat("a/b/c").orElseThrow().mode());
        assertTrue(fs.stat("a/b").orElseThrow().isDirectory());
        fs.mkdirs("a/b/c", 0700);
        assertEquals(0700, fs.stat("a/b/c").orElseThrow().mode());
    }

    @Test
    void setTimesAndModeDoNotFollowSymlinks() throws IOException {
        Files.writeString(root.resolve("f"), "x");
        Files.setAttribute(root.resolve("f"), "unix:mode", 0644);
        Files.createSymbolicLink(root.resolve("l"), Path.of("f"));
        long before = Files.getLastModifiedTime(root.resolve("f")).to(TimeUnit.NANOSECONDS);

        fs.setTimes("l", 1_000_000_000_000_000_000L);
        fs.setMode("l", 0777);
        assertEquals(1_000_000_000_000_000_000L, fs.stat("l").orElseThrow().mtimeNanos());
        assertEquals(before, fs.stat("f").orElseThrow().mtimeNanos());
        assertEquals(0644, fs.stat("f").orElseThrow().mode());

        fs.setTimes("f", 2_000_000_000_000_000_001L);
        fs.setMode("f", 04755);
        assertEquals(2_000_000_000_000_000_001L, fs.stat("f").orElseThrow().mtimeNanos());
        assertEquals(0755, fs.stat("f").orElseThrow().mode(), "permission bits only: never setuid from a peer");
    }

    @Test
    void walkVisitsSortedDepthFirstSkippingInternalAndSymlinkTargets() throws IOException {
        Files.createDirectories(root.resolve("b/c"));
        Files.writeString(root.resolve("b/c/f"), "x");
        Files.writeString(root.resolve("a"), "x");
        Files.writeString(root.resolve("b/z"), "x");
        Files.createSymbolicLink(root.resolve("l"), outside);
        Files.writeString(outside.resolve("o"), "x");
        List<String> seen = new ArrayList<>();
        fs.walk("", (path, meta) -> seen.add(path + ":" + meta.type()));
        assertEquals(List.of("a:FILE", "b:DIRECTORY", "l:SYMLINK", "b/c:DIRECTORY", "b/z:FILE", "b/c/f:FILE"), seen);

        seen.clear();
        fs.walk("b/c", (path, meta) -> seen.add(path));
        assertEquals(List.of("b/c", "b/c/f"), seen);

        seen.clear();
        fs.walk("missing", (path, meta) -> seen.add(path));
        assertEquals(List.of(), seen);
    }

    @Test
    void readsThroughStreamAndChannel() throws IOException {
        Files.writeString(root.resolve("f"), "0123456789");
        try (InputStream in = fs.openRead("f")) {
            assertEquals("0123456789", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (FileChannel ch = fs.openReadChannel("f")) {
            ByteBuffer buf = ByteBuffer.allocate(3);
            ch.read(buf, 4);
            assertEquals("456", new String(buf.array(), StandardCharsets.UTF_8));
        }
        assertTrue(fs.freeSpace() > 0);
        assertEquals(FileTime.from(fs.stat("f").orElseThrow().mtimeNanos(), TimeUnit.NANOSECONDS),
                Files.getLastModifiedTime(root.resolve("f"), LinkOption.NOFOLLOW_LINKS));
    }
}
