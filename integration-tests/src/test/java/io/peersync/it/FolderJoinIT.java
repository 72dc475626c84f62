package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Joining a shared folder is a race between the new node's folder add, the connection and the peers'
 * announcements; a node that loses it may wait forever. Several fresh nodes join one after another so that a
 * lost race shows up in one run rather than once in a while.
 */
class FolderJoinIT {
    private static final int JOINERS = 4;
    private static final Duration JOIN = Duration.ofSeconds(45);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void everyFreshNodeThatJoinsReceivesTheFolder() throws Exception {
        DaemonProcess a = ws.start("a");
        Path folderA = a.dir().resolve("folder");
        Files.createDirectories(folderA.resolve("docs"));
        Files.writeString(folderA.resolve("readme.txt"), "shared by A\n");
        Files.writeString(folderA.resolve("docs/notes.txt"), "joiners must get this\n");
        String secret = a.cliOk("secret", "new").stdout().strip();
        String folderId = a.cliOk("folder", "add", folderA.toString(), "--secret", secret).stdout().strip();
        awaitConverged(folderId, 2, JOIN, a);

        List<String> lost = new ArrayList<>();
        for (int i = 1; i <= JOINERS; i++) {
            DaemonProcess joiner = ws.start("joiner-" + i, a.listen());
            try {
                Path folder = joiner.dir().resolve("folder");
                joiner.cliOk("folder", "add", folder.toString(), "--secret", secret);
                try {
                    awaitConverged(folderId, 2, JOIN, a, joiner);
                    Trees.assertSame("A", folderA, joiner.name(), folder);
                } catch (ConditionTimeoutException e) {
                    lost.add(joiner.name() + ": " + e.getMessage());
                }
                joiner.stop();
            } finally {
                joiner.close();
            }
        }
        assertEquals(List.of(), lost, "joiners that never received the folder (of " + JOINERS + ")");
        a.stop();
    }
}
