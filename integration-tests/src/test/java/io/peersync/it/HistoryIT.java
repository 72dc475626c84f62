package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static io.peersync.it.TestFiles.readOrNull;
import static io.peersync.it.TestFiles.write;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Version history under real-world events, with real daemons: a node restored from a snapshot never reissues a
 * version for other content, and a conflict once resolved stays resolved even when a member that kept the losing
 * version (an encrypted node) announces it again.
 */
class HistoryIT {
    private static final Duration SYNC = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(250);
    private static final Pattern CONFLICT_COPY = Pattern.compile("f\\.sync-conflict-\\d{8}-\\d{6}-[A-Z2-7]{7}\\.txt");

    @RegisterExtension
    static final Workspace ws = new Workspace();

    @Test
    void aNodeRestoredFromASnapshotThatEditsBeforeReconnectingConverges() throws Exception {
        DaemonProcess a = ws.start("restored-a");
        DaemonProcess b = ws.start("restored-b", a.listen());
        Path onA = a.dir().resolve("site");
        write(onA.resolve("f.txt"), "version 1\n");
        write(onA.resolve("other.txt"), "untouched\n");
        String secret = a.cliOk("secret", "new").stdout().strip();
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        Path onB = b.dir().resolve("site");
        b.cliOk("folder", "add", onB.toString(), "--secret", secret);
        awaitConverged(id, 2, SYNC, a, b);

        a.stop();
        Path snapshot = ws.path("snapshot-of-a");
        copyTree(a.dir(), snapshot);
        a.restart();
        write(onA.resolve("f.txt"), "version 2, made after the snapshot\n");
        await("B has A's version 2").atMost(SYNC).pollInterval(POLL)
                .until(() -> "version 2, made after the snapshot\n".equals(readOrNull(onB.resolve("f.txt"))));
        awaitConverged(id, 2, SYNC, a, b);

        // The VM is restored from the snapshot: home (index) and folder go back; it edits before it meets B again.
        b.stop();
        a.stop();
        Workspace.deleteRecursively(a.dir());
        copyTree(snapshot, a.dir());
        a.restart();
        int scans = a.logLines("Folder " + id + ": scan of").size();
        write(onA.resolve("f.txt"), "version 2 again, other bytes\n");
        await("A scanned its edit").atMost(SYNC).pollInterval(POLL)
                .until(() -> a.logLines("Folder " + id + ": scan of").size() > scans);
        b.restart();

        await("both nodes hold the same f.txt, and any conflict copy on both").atMost(SYNC).pollInterval(POLL)
                .untilAsserted(() -> {
                    assertEquals(readOrNull(onA.resolve("f.txt")), readOrNull(onB.resolve("f.txt")));
                    assertEquals(matching(onA), matching(onB));
                    Trees.assertSame("A", onA, "B", onB);
                    for (DaemonProcess n : List.of(a, b)) {
                        Status.Folder f = n.folder(id);
                        assertTrue(f.inSync() && f.needFiles() == 0, n.name() + ": " + f.summary());
                    }
                });
        System.out.println("after the restore, f.txt on both nodes: "
                + readOrNull(onA.resolve("f.txt")).strip() + "; conflict copies: " + matching(onA));
        a.stop();
        b.stop();
    }

    @Test
    void aLosingVersionReplayedByAnEncryptedNodeChangesNothing() throws Exception {
        DaemonProcess a = ws.start("replay-a");
        DaemonProcess b = ws.start("replay-b", a.listen());
        DaemonProcess e = ws.start("replay-e", a.listen(), b.listen());
        Path onA = a.dir().resolve("site");
        write(onA.resolve("f.txt"), "base\n");
        write(onA.resolve("keep.txt"), "always here\n");
        String secret = a.cliOk("secret", "new").stdout().strip();
        JsonNode levels = a.json("secret", "show", secret, "--json");
        String id = a.cliOk("folder", "add", onA.toString(), "--secret", secret).stdout().strip();
        Path onB = b.dir().resolve("site");
        b.cliOk("folder", "add", onB.toString(), "--secret", secret);
        e.cliOk("folder", "add", e.dir().resolve("site").toString(), "--secret", levels.get("encrypted").asText());
        awaitConverged(id, 2, SYNC, a, b, e);

        // While A is down, B edits f.txt and E stores B's version: the one that will lose.
        a.stop();
        long eBytes = e.folder(id).localBytes();
        write(onB.resolve("f.txt"), "edited on B, the losing side\n");
        await("E holds B's edit").atMost(SYNC).pollInterval(POLL).until(() -> {
            Status.Folder f = e.folder(id);
            return f.localBytes() != eBytes && f.inSync();
        });
        e.stop();
        b.stop();

        // A edits too, later: its version wins the conflict once A and B meet.
        a.restart();
        int scans = a.logLines("Folder " + id + ": scan of").size();
        write(onA.resolve("f.txt"), "edited on A later, the winning side\n");
        await("A scanned its edit").atMost(SYNC).pollInterval(POLL)
                .until(() -> a.logLines("Folder " + id + ": scan of").size() > scans);
        b.restart();
        await("the conflict is resolved on A and B").atMost(SYNC).pollInterval(POLL).untilAsserted(() -> {
            assertEquals("edited on A later, the winning side\n", readOrNull(onB.resolve("f.txt")));
            assertEquals(1, matching(onA).size(), "one conflict copy on A");
            assertEquals(matching(onA), matching(onB));
        });
        awaitConverged(id, 3, SYNC, a, b);

        // The winner is deleted; then E, which kept only the loser, comes back and announces it.
        Files.delete(onA.resolve("f.txt"));
        await("B applied the deletion").atMost(SYNC).pollInterval(POLL)
                .until(() -> !Files.exists(onB.resolve("f.txt")));
        awaitConverged(id, 2, SYNC, a, b);
        e.restart();

        awaitConverged(id, 2, SYNC, a, b, e);
        // Give E's replay every chance to land: it must change nothing, on any node.
        await("the deleted file stays deleted").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(30))
                .pollInterval(POLL).until(() -> !Files.exists(onA.resolve("f.txt"))
                        && !Files.exists(onB.resolve("f.txt")));
        Trees.assertSame("A", onA, "B", onB);
        assertEquals(1, matching(onB).size(), "the conflict copy stays");
        for (DaemonProcess n : List.of(a, b, e)) {
            assertTrue(n.folder(id).inSync(), n.name() + ": " + n.folder(id).summary());
        }
        System.out.println("replayed loser from E changed nothing; B logged: " + b.logLines("conflict on"));
        for (DaemonProcess n : List.of(a, b, e)) {
            n.stop();
        }
    }

    private static List<String> matching(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).filter(n -> CONFLICT_COPY.matcher(n).matches())
                    .sorted().toList();
        }
    }

    /** {@code cp -a}: a snapshot keeps modes, times and hard links as a VM snapshot would. */
    private static void copyTree(Path from, Path to) throws IOException, InterruptedException {
        Exec.ok(Duration.ofSeconds(60), "cp", "-a", from.toString(), to.toString());
        assertFalse(Files.notExists(to), "snapshot at " + to);
    }
}
