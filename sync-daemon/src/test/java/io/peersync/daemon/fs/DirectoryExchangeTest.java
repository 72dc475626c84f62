package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryExchangeTest {
    @TempDir
    Path dir;

    @Test
    void exchangesTwoDirectoriesInOneStep() throws IOException {
        assumeTrue(DirectoryExchange.available(), "renameat2 is Linux-only");
        Path a = Files.createDirectory(dir.resolve("a"));
        Path b = Files.createDirectory(dir.resolve("b"));
        Files.writeString(a.resolve("from-a"), "a");
        Files.writeString(b.resolve("from-b"), "b");

        DirectoryExchange.exchange(a, b);

        assertEquals("b", Files.readString(a.resolve("from-b")));
        assertEquals("a", Files.readString(b.resolve("from-a")));
    }

    @Test
    void aFailureCarriesTheSystemsReasonAndBothPaths() throws IOException {
        assumeTrue(DirectoryExchange.available(), "renameat2 is Linux-only");
        Path a = Files.createDirectory(dir.resolve("a"));
        Path missing = dir.resolve("missing");

        FileSystemException e = assertThrows(FileSystemException.class, () -> DirectoryExchange.exchange(a, missing));

        assertEquals("No such file or directory (errno 2)", e.getReason());
        assertEquals(a.toString(), e.getFile());
        assertEquals(missing.toString(), e.getOtherFile());
    }
}
