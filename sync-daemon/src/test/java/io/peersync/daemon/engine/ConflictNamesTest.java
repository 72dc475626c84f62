package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FolderPath;
import io.peersync.protocol.NodeId;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConflictNamesTest {
    private static final NodeId NODE = NodeId.ofPublicKey(new byte[] {1, 2, 3});
    private static final long MTIME = Instant.parse("2026-11-28T13:05:09Z").getEpochSecond() * 1_000_000_000L + 123;

    @ParameterizedTest
    @CsvSource({
        "notes.txt, notes.sync-conflict-20261128-130509-NODE.txt",
        "dir/a/readme, dir/a/readme.sync-conflict-20261128-130509-NODE",
        "plugins/x/index.php, plugins/x/index.sync-conflict-20261128-130509-NODE.php-txt",
        "t/page.PHTML, t/page.sync-conflict-20261128-130509-NODE.PHTML-txt",
        "lib/a.phar, lib/a.sync-conflict-20261128-130509-NODE.phar-txt",
        ".htaccess, .htaccess.sync-conflict-20261128-130509-NODE",
        "archive.tar.gz, archive.tar.sync-conflict-20261128-130509-NODE.gz",
    })
    void namesTheLoserBesideTheWinner(String path, String expected) {
        String name = ConflictNames.conflictPath(path, MTIME, NODE.shortId());
        assertEquals(expected.replace("NODE", NODE.shortForm()), name);
        assertTrue(FolderPath.isValid(name));
        assertTrue(ConflictNames.isConflictCopy(name));
    }

    @ParameterizedTest
    @CsvSource({"a.php", "a.php5", "a.phtml", "a.phar", "a.inc", "a.cgi"})
    void aCopyOfServerCodeNeverEndsInAnExecutableExtension(String path) {
        String name = ConflictNames.conflictPath(path, MTIME, 42);
        String ext = path.substring(path.lastIndexOf('.'));
        assertFalse(name.endsWith(ext), name);
    }

    @ParameterizedTest
    @CsvSource({"x.txt", "y/z.php"})
    void everyNodeNamesTheSameLoserTheSame(String path) {
        long a = NODE.shortId();
        long b = NodeId.ofPublicKey(new byte[] {9}).shortId();
        assertEquals(ConflictNames.conflictPath(path, MTIME, a), ConflictNames.conflictPath(path, MTIME, a));
        assertFalse(ConflictNames.conflictPath(path, MTIME, a).equals(ConflictNames.conflictPath(path, MTIME, b)));
    }
}
