package io.peersync.daemon.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoredContentTest {
    private static final IgnoreRules RULES = IgnoreRules.parse("*.log\n(?d)cache/\n(?d)*.tmp\n");
    private static final IgnoredContent.Rules AS_CONTENT = IgnoredContent.Rules.of(RULES::isIgnored, RULES::isDeletable);

    @TempDir
    Path root;

    private Path dir(String... files) throws IOException {
        Path d = Files.createDirectories(root.resolve("plugins/x"));
        for (String f : files) {
            Files.createDirectories(d.resolve(f).getParent());
            Files.writeString(d.resolve(f), f);
        }
        return d;
    }

    @Test
    void anEmptyDirectoryGoes() throws IOException {
        Path d = dir();
        Files.createDirectories(d.resolve("empty/sub"));
        assertEquals(IgnoredContent.Left.NOTHING_TO_KEEP, IgnoredContent.survey(d, "plugins/x", AS_CONTENT));
        assertTrue(IgnoredContent.deleteDirectory(d, "plugins/x", AS_CONTENT));
        assertFalse(Files.exists(d));
    }

    @Test
    void onlyDeletableIgnoredContentGoesWithTheDirectory() throws IOException {
        Path d = dir("cache/page.html", "cache/deep/x.css", "inc/upload.tmp");
        assertEquals(IgnoredContent.Left.NOTHING_TO_KEEP, IgnoredContent.survey(d, "plugins/x", AS_CONTENT));
        assertTrue(IgnoredContent.deleteDirectory(d, "plugins/x", AS_CONTENT));
        assertFalse(Files.exists(d));
    }

    @Test
    void ignoredContentThatMustStayKeepsTheDirectoryAndEverythingInIt() throws IOException {
        Path d = dir("inc/debug.log", "cache/page.html");
        assertEquals(IgnoredContent.Left.IGNORED_ONLY, IgnoredContent.survey(d, "plugins/x", AS_CONTENT));
        assertFalse(IgnoredContent.deleteDirectory(d, "plugins/x", AS_CONTENT));
        assertTrue(Files.isRegularFile(d.resolve("inc/debug.log")));
        assertTrue(Files.isRegularFile(d.resolve("cache/page.html")), "(?d) only lets a directory go, all or nothing");
    }

    @Test
    void syncedContentLeftIsNotEmptyAndNothingIsDeleted() throws IOException {
        Path d = dir("cache/page.html", "inc/late.php");
        assertEquals(IgnoredContent.Left.SYNCED_CONTENT, IgnoredContent.survey(d, "plugins/x", AS_CONTENT));
        assertThrows(DirectoryNotEmptyException.class, () -> IgnoredContent.deleteDirectory(d, "plugins/x", AS_CONTENT));
        assertTrue(Files.isRegularFile(d.resolve("inc/late.php")));
        assertTrue(Files.isRegularFile(d.resolve("cache/page.html")));
    }

    @Test
    void aSymlinkIsContentAndIsNeverFollowed() throws IOException {
        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.writeString(outside.resolve("precious.txt"), "keep");
        Path d = dir("cache/page.html");
        Files.createSymbolicLink(d.resolve("cache/link"), outside);
        assertTrue(IgnoredContent.deleteDirectory(d, "plugins/x", AS_CONTENT));
        assertTrue(Files.isRegularFile(outside.resolve("precious.txt")), "a link's target outside is untouched");
        Files.createDirectories(d);
        Files.createSymbolicLink(d.resolve("link"), outside);
        assertEquals(IgnoredContent.Left.SYNCED_CONTENT, IgnoredContent.survey(d, "plugins/x", AS_CONTENT));
        assertTrue(Files.exists(d.resolve("link"), LinkOption.NOFOLLOW_LINKS));
    }
}
