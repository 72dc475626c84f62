package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.fs.FaultyFolderFs.Fault;
import io.peersync.daemon.fs.FaultyFolderFs.Op;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyFolderFsTest {
    @TempDir
    Path root;
    FaultyFolderFs fs;

    @BeforeEach
    void setUp() throws IOException {
        fs = new FaultyFolderFs(NioFolderFs.init(root));
    }

    @Test
    void injectsDiskFullAfterNBytesWithAPartialWrite() throws IOException {
        fs.failWritesAfter(10, Fault.DISK_FULL);
        byte[] data = new byte[16];
        Arrays.fill(data, (byte) 7);
        FileChannel ch = fs.openTemp("t", true);
        ByteBuffer buf = ByteBuffer.wrap(data);
        IOException e = assertThrows(IOException.class, () -> fs.writeAt(ch, 0, buf));
        assertTrue(e.getMessage().endsWith("No space left on device"), e.getMessage());
        assertEquals(10, buf.position(), "the bytes that fit were written");
        assertEquals(10, fs.bytesWritten());
        fs.fsyncAndClose(ch);
        assertArrayEquals(Arrays.copyOf(data, 10), Files.readAllBytes(fs.tempFile("t")));

        FileChannel again = fs.openTemp("t", false);
        assertThrows(IOException.class, () -> fs.writeAt(again, 10, ByteBuffer.wrap(new byte[1])));
        fs.heal();
        fs.writeAt(again, 10, ByteBuffer.wrap(new byte[1]));
        fs.fsyncAndClose(again);
        assertEquals(11, Files.size(fs.tempFile("t")));
    }

    @Test
    void aFailingFsyncOfManyTempsIsReported() throws IOException {
        Files.writeString(fs.tempFile("a"), "a");
        Files.writeString(fs.tempFile("b"), "b");
        fs.prepareTempUnsynced("a", 0, 0644);
        fs.prepareTempUnsynced("b", 0, 0644);
        fs.failOn(Op.FSYNC, Fault.EIO);
        IOException e = assertThrows(IOException.class, () -> fs.fsyncTemps(List.of("a", "b")));
        assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
        fs.heal();
        fs.fsyncTemps(List.of("a", "b"));
    }

    @Test
    void injectsEioOnChosenOperations() throws IOException {
        Files.writeString(fs.tempFile("t"), "x");
        fs.failOn(Op.COMMIT, Fault.EIO).failOn(Op.MKDIRS, Fault.DISK_FULL);
        IOException e = assertThrows(IOException.class, () -> fs.commitTemp("t", "f", 0, 0644));
        assertEquals("commit f: Input/output error", e.getMessage());
        e = assertThrows(IOException.class, () -> fs.mkdirs("d", 0755));
        assertEquals("mkdirs d: No space left on device", e.getMessage());
        assertTrue(Files.exists(fs.tempFile("t")), "nothing happened on disk");

        fs.heal();
        fs.commitTemp("t", "f", 0, 0644);
        assertEquals("x", Files.readString(root.resolve("f")));
    }

    @Test
    void injectsReadErrorsAfterNBytes() throws IOException {
        Files.write(root.resolve("f"), new byte[100]);
        fs.failReadsAfter(40, Fault.EIO);
        try (InputStream in = fs.openRead("f")) {
            assertEquals(40, in.readNBytes(new byte[100], 0, 40));
            IOException e = assertThrows(IOException.class, in::read);
            assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
        }
    }

    @Test
    void reportsChosenFreeSpace() throws IOException {
        fs.reportFreeSpace(12);
        assertEquals(12, fs.freeSpace());
    }
}
