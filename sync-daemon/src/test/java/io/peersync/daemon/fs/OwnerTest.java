package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Owner and group of files sync writes, for a daemon running as root (e.g. giving wp-content to www-data). */
class OwnerTest {
    @TempDir
    Path root;

    @Test
    void givesAFileTheConfiguredOwnerAndGroup() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "changing a file's owner needs root; this test runs as " + System.getProperty("user.name"));
        NioFolderFs fs = NioFolderFs.init(root);
        Files.writeString(root.resolve("f.php"), "<?php");
        fs.checkOwner("nobody", "nogroup");
        fs.setOwner("f.php", "nobody", "nogroup");
        PosixFileAttributes attrs = Files.readAttributes(root.resolve("f.php"), PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        assertEquals("nobody", attrs.owner().getName());
        assertEquals("nogroup", attrs.group().getName());
    }

    @Test
    void refusesAnUnknownAccount() throws IOException {
        NioFolderFs fs = NioFolderFs.init(root);
        assertThrows(IOException.class, () -> fs.checkOwner("no-such-user-peersync", null));
        assertThrows(IOException.class, () -> fs.checkOwner(null, "no-such-group-peersync"));
    }
}
