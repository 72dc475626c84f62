package io.peersync.daemon.ignore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreFileTest {
    private static final Instant MODIFIED = Instant.parse("2024-01-01T00:00:00Z");
    /** Long after every mtime the tests set, so no read is racy unless a test says so. */
    private static final Clock LATER = Clock.fixed(Instant.parse("2100-01-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    @Test
    void missingFileIgnoresNothing() throws IOException {
        IgnoreFile file = IgnoreFile.of(root, LATER);
        assertSame(IgnoreRules.none(), file.current());
        assertTrue(file.path().endsWith(".peersyncignore"));
    }

    @Test
    void aSymlinkIsRefusedNotFollowed() throws IOException {
        Path outside = Files.writeString(Files.createTempFile("outside", ".txt"), "root:$6$hash:19000\n");
        try {
            Files.createSymbolicLink(root.resolve(IgnoreFile.NAME), outside);
            IOException e = assertThrows(IOException.class, () -> IgnoreFile.of(root, LATER).current());
            assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
        } finally {
            Files.delete(outside);
        }
    }

    @Test
    void readsTheRulesOnFirstUse() throws IOException {
        write("*.tmp\n", MODIFIED);
        IgnoreRules rules = IgnoreFile.of(root, LATER).current();
        assertTrue(rules.isIgnored("a.tmp", false));
        assertFalse(rules.isIgnored("a.txt", false));
    }

    @Test
    void doesNotRereadAnUnchangedFile() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        IgnoreRules first = file.current();
        // Same size and mtime: the cache cannot tell, which shows that it did not read the file again.
        write("b\n", MODIFIED);
        assertSame(first, file.current());
        assertTrue(file.current().isIgnored("a", false));
    }

    @Test
    void reloadsWhenTheSizeChanges() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        assertTrue(file.current().isIgnored("a", false));
        write("a\nbb\n", MODIFIED);
        assertTrue(file.current().isIgnored("bb", false));
    }

    @Test
    void reloadsWhenOnlyTheModificationTimeChanges() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        assertTrue(file.current().isIgnored("a", false));
        write("b\n", MODIFIED.plusSeconds(1));
        IgnoreRules reloaded = file.current();
        assertTrue(reloaded.isIgnored("b", false));
        assertFalse(reloaded.isIgnored("a", false));
    }

    @Test
    void rereadsAFileModifiedJustBeforeItWasRead() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, Clock.fixed(MODIFIED.plusMillis(500), ZoneOffset.UTC));
        assertTrue(file.current().isIgnored("a", false));
        // A coarse-timestamp filesystem can give an edit in the same tick the same (size, mtime).
        write("b\n", MODIFIED);
        assertTrue(file.current().isIgnored("b", false));
    }

    @Test
    void keepsTheParsedRulesWhenTheTextIsUnchanged() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        IgnoreRules first = file.current();
        write("a\n", MODIFIED.plusSeconds(5)); // touched, not edited
        assertSame(first, file.current());
    }

    @Test
    void ignoresNothingOnceTheFileIsDeleted() throws IOException {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        assertTrue(file.current().isIgnored("a", false));
        Files.delete(root.resolve(IgnoreFile.NAME));
        assertSame(IgnoreRules.none(), file.current());
    }

    @Test
    void refusesAFileOverTheLimit() throws IOException {
        write("#".repeat(IgnoreFile.MAX_BYTES + 1), MODIFIED);
        IOException e = assertThrows(IOException.class, () -> IgnoreFile.of(root, LATER).current());
        assertTrue(e.getMessage().contains("expected: at most"), e.getMessage());
    }

    @Test
    void refusesADirectoryInPlaceOfTheFile() throws IOException {
        Files.createDirectory(root.resolve(IgnoreFile.NAME));
        IOException e = assertThrows(IOException.class, () -> IgnoreFile.of(root, LATER).current());
        assertTrue(e.getMessage().contains("not a regular file"), e.getMessage());
    }

    @Test
    void givesEveryConcurrentCallerTheSameRules() throws Exception {
        write("a\n", MODIFIED);
        IgnoreFile file = IgnoreFile.of(root, LATER);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<IgnoreRules>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                results.add(pool.submit((Callable<IgnoreRules>) file::current));
            }
            IgnoreRules first = results.get(0).get();
            for (Future<IgnoreRules> result : results) {
                assertSame(first, result.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void write(String text, Instant modified) throws IOException {
        Path file = root.resolve(IgnoreFile.NAME);
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(modified));
    }
}
