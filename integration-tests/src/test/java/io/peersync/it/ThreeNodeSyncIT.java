package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static io.peersync.it.RandomFiles.MIB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three real daemons on loopback share the WordPress tree: A shares it, B and C join with A's secret. The
 * tests build on each other in order; the later ones only need the nodes to be up, not an earlier pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ThreeNodeSyncIT {
    private static final Duration INITIAL_SYNC = Duration.ofMinutes(3);
    private static final Duration CHANGE = Duration.ofMinutes(2);
    private static final Duration BIG_FILE = Duration.ofMinutes(3);
    /** A folder of two small files; a node that has not got it by then is not going to. */
    private static final Duration SMALL_FOLDER = Duration.ofSeconds(60);
    private static final long BIG = 200 * MIB;
    /** How long a node with the wrong secret is watched for anything arriving. */
    private static final Duration NOTHING_ARRIVES = Duration.ofSeconds(12);

    @RegisterExtension
    static final Workspace ws = new Workspace();

    private DaemonProcess a;
    private DaemonProcess b;
    private DaemonProcess c;
    private String secret;
    private String folderId;
    private Path folderA;
    private Path folderB;
    private Path folderC;
    private long expectedFiles;
    private boolean nodesUp;
    private long bigFileSeed = 1;

    @Test
    @Order(1)
    void initialSyncGivesAllThreeNodesTheWordPressTree() throws Exception {
        a = ws.start("a");
        b = ws.start("b", a.listen());
        c = ws.start("c", a.listen());
        secret = a.cliOk("secret", "new").stdout().strip();
        assertTrue(secret.matches("\\S+"), () -> "secret new printed more than one token: '" + secret + "'");

        folderA = a.dir().resolve("folder");
        Corpus.Summary corpus = Corpus.materialize(folderA);
        expectedFiles = corpus.files();
        folderId = a.cliOk("folder", "add", folderA.toString(), "--secret", secret).stdout().strip();
        folderB = b.dir().resolve("folder");
        folderC = c.dir().resolve("folder");
        assertEquals(folderId, b.cliOk("folder", "add", folderB.toString(), "--secret", secret).stdout().strip());
        assertEquals(folderId, c.cliOk("folder", "add", folderC.toString(), "--secret", secret).stdout().strip());
        nodesUp = true;

        awaitConverged(folderId, expectedFiles, INITIAL_SYNC, a, b, c);
        Trees.assertSame("A", folderA, "B", folderB);
        Trees.assertSame("A", folderA, "C", folderC);
    }

    @Test
    @Order(2)
    void cliCommandsAnswerWithExitZeroWhileTheDaemonRuns() {
        assumeTrue(nodesUp, "the nodes did not come up");
        for (DaemonProcess node : List.of(a, b, c)) {
            assertTrue(node.cliOk("folder", "list").stdout().contains(folderId), "folder list on " + node);
            assertTrue(node.json("folder", "list", "--json").toString().contains(folderId),
                    "folder list --json on " + node);
            node.cliOk("peer", "list");
            assertTrue(node.cliOk("status").stdout().contains(folderId), "human status on " + node);
        }
        assertTrue(b.cliOk("peer", "list").stdout().contains(a.listen()), "B's peer list names A's address");
        JsonNode bPeers = b.json("peer", "list", "--json");
        assertTrue(containsPeer(bPeers, a.listen(), true), () -> "B's peer list --json shows A connected: " + bPeers);

        // B and C were each given only A; A told each where the other folder member listens.
        await("B and C connected through A's gossip").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .until(() -> containsPeer(b.json("peer", "list", "--json"), c.listen(), true)
                        || containsPeer(c.json("peer", "list", "--json"), b.listen(), true));

        c.cliOk("peer", "add", b.listen());
        await("C lists B as a peer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> containsPeer(c.json("peer", "list", "--json"), b.listen(), false));

        JsonNode shown = a.json("secret", "show", secret, "--json");
        assertEquals("read-write", shown.path("access").asText(), shown::toString);
        assertEquals(folderId, shown.path("folderId").asText(), shown::toString);
        for (String field : List.of("readWrite", "readOnly", "encrypted")) {
            assertTrue(shown.path(field).isTextual(), () -> "secret show --json derives " + field + ": " + shown);
        }
        assertStatusHasContractFields(b.json("status", "--json"));
    }

    /** Every field the contract names for {@code status --json}, at any value. */
    private static void assertStatusHasContractFields(JsonNode status) {
        List<String> missing = new ArrayList<>();
        for (String field : List.of("id", "listen")) {
            if (!status.path("node").has(field)) {
                missing.add("node." + field);
            }
        }
        assertTrue(status.path("folders").size() > 0, () -> "status lists no folders: " + status);
        for (JsonNode folder : status.path("folders")) {
            for (String field : List.of("id", "path", "access", "state", "localFiles", "localBytes", "globalFiles",
                    "globalBytes", "needFiles", "needBytes", "inSync", "error", "peers")) {
                if (!folder.has(field)) {
                    missing.add("folders[]." + field);
                }
            }
            for (JsonNode peer : folder.path("peers")) {
                for (String field : List.of("node", "address", "connected")) {
                    if (!peer.has(field)) {
                        missing.add("folders[].peers[]." + field);
                    }
                }
            }
        }
        assertEquals(List.of(), missing, () -> "status --json lacks contract fields: " + status);
    }

    @Test
    @Order(3)
    void editAddAndDeleteOnBReachAAndC() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        String edited = "wp-login.php";
        String deleted = "wp-links-opml.php";
        String addedDir = "wp-content/plugins/peersync-it";
        Files.writeString(folderB.resolve(edited), "\n<?php /* edited on B by ThreeNodeSyncIT */ ?>\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Files.delete(folderB.resolve(deleted));
        Files.createDirectories(folderB.resolve(addedDir));
        Files.writeString(folderB.resolve(addedDir + "/hello.php"), "<?php echo 'added on B';\n");
        Path script = Files.writeString(folderB.resolve(addedDir + "/run.sh"), "#!/bin/sh\necho added on B\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        expectedFiles += 2 - 1;
        String editedSha = Trees.sha256(folderB.resolve(edited));

        await("B's edit, add and delete visible on A and C").atMost(CHANGE).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    for (Path folder : List.of(folderA, folderC)) {
                        assertEquals(editedSha, Trees.sha256(folder.resolve(edited)), "edited file in " + folder);
                        assertFalse(Files.exists(folder.resolve(deleted)), "deleted file still in " + folder);
                        assertTrue(Files.exists(folder.resolve(addedDir + "/hello.php")), "added file in " + folder);
                        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                                folder.resolve(addedDir + "/run.sh"))), "mode of the added script in " + folder);
                    }
                });
        awaitConverged(folderId, expectedFiles, CHANGE, a, b, c);
        Trees.assertSame("B", folderB, "A", folderA);
        Trees.assertSame("B", folderB, "C", folderC);
    }

    @Test
    @Order(4)
    void largeRandomFileFromAArrivesIntactOnBAndC() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        String rel = "big/random-1.bin";
        RandomFiles.Written big = RandomFiles.write(ws.path("staging/random-1.bin"), BIG, bigFileSeed++);
        long started = System.nanoTime();
        RandomFiles.moveInto(big, folderA.resolve(rel));
        expectedFiles += 1;

        awaitConverged(folderId, expectedFiles, BIG_FILE, a, b, c);
        System.out.printf("200 MiB file reached B and C in %.1f s%n", (System.nanoTime() - started) / 1e9);
        assertEquals(big.sha256(), Trees.sha256(folderB.resolve(rel)), "sha256 of " + rel + " on B");
        assertEquals(big.sha256(), Trees.sha256(folderC.resolve(rel)), "sha256 of " + rel + " on C");
    }

    @Test
    @Order(5)
    void killedWhilePullingNeverShowsAPartialFileAndFinishesAfterRestart() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        // The kill has to land while B pulls: if B was faster, try again with a new file and no delay.
        KillDuringPull kill = new KillDuringPull(ws, a, b, folderA, folderB, BIG);
        KillDuringPull.Outcome outcome = null;
        for (int attempt = 1; attempt <= 3 && (outcome == null || !outcome.killedMidPull()); attempt++) {
            outcome = kill.attempt("big/random-" + (attempt + 1) + ".bin", bigFileSeed++,
                    attempt == 1 ? Duration.ofMillis(300) : Duration.ZERO);
            expectedFiles += 1;
            if (!outcome.killedMidPull()) {
                System.out.println("attempt " + attempt + ": B already had the whole file when killed; restarting it");
                b.restart();
            }
        }
        assertTrue(outcome.killedMidPull(), "never caught B in the middle of pulling a 200 MiB file");

        b.restart();
        awaitConverged(folderId, expectedFiles, BIG_FILE, a, b, c);
        outcome.watcher().close();
        assertEquals(List.of(), outcome.watcher().violations(),
                "B's final path showed a partial file (" + outcome.watcher().samples() + " samples)");
        assertEquals(outcome.file().sha256(), Trees.sha256(folderB.resolve(outcome.rel())),
                "sha256 on B after restart");
        assertEquals(outcome.file().sha256(), Trees.sha256(folderC.resolve(outcome.rel())), "sha256 on C");
        try (Stream<Path> left = Files.list(folderB.resolve(".peersync/tmp"))) {
            System.out.println("B's .peersync/tmp after finishing: " + left.map(Path::getFileName).toList());
        }
        System.out.println("B's log after restart, lines about " + outcome.rel() + ": "
                + b.logLines(outcome.rel().substring(outcome.rel().lastIndexOf('/') + 1)));
    }

    @Test
    @Order(6)
    void nodeWithAnUnrelatedSecretReceivesNothing() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        DaemonProcess w = ws.start("w-unrelated", a.listen());
        try {
            String other = w.cliOk("secret", "new").stdout().strip();
            Path folder = w.dir().resolve("folder");
            String otherId = w.cliOk("folder", "add", folder.toString(), "--secret", other).stdout().strip();

            WrongSecretCheck.receivesNothing(w, a, otherId, folder, NOTHING_ARRIVES);
            org.awaitility.Awaitility.await("W's status says why").atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> w.folder(otherId).error() != null);
            String why = w.folder(otherId).error();
            assertTrue(why.contains("No connected peer shares this folder"), why);
            assertFalse(w.folder(otherId).inSync(), "a folder no peer shares is not in sync");
            assertTrue(w.cliOk("folder", "remove", otherId).stdout().contains(otherId),
                    "folder remove names the folder");
            assertTrue(Files.isDirectory(folder), "folder remove left the directory in place");
            w.stop();
        } finally {
            w.close();
        }
    }

    @Test
    @Order(7)
    void secretOfAnotherSharedFolderGivesOnlyThatFolder() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        String otherSecret = a.cliOk("secret", "new").stdout().strip();
        Path otherA = a.dir().resolve("other");
        Files.createDirectories(otherA.resolve("notes"));
        Files.writeString(otherA.resolve("readme.txt"), "another folder of A\n");
        Files.writeString(otherA.resolve("notes/todo.txt"), "nothing of the WordPress tree belongs here\n");
        String otherId = a.cliOk("folder", "add", otherA.toString(), "--secret", otherSecret).stdout().strip();

        DaemonProcess w = ws.start("w-other-folder", a.listen());
        try {
            Path folder = w.dir().resolve("folder");
            assertEquals(otherId,
                    w.cliOk("folder", "add", folder.toString(), "--secret", otherSecret).stdout().strip());
            // First the negative: nothing of the WordPress folder, whatever else arrives.
            await("W getting nothing of the WordPress folder").during(NOTHING_ARRIVES)
                    .atMost(NOTHING_ARRIVES.plusSeconds(30)).pollInterval(Duration.ofSeconds(2))
                    .untilAsserted(() -> {
                        assertFalse(Files.exists(folder.resolve("wp-login.php")), "WordPress file on W");
                        Status status = w.status();
                        assertEquals(List.of(otherId), status.folders().stream().map(Status.Folder::id).toList(),
                                "W shares only the other folder: " + status);
                    });
            awaitConverged(otherId, 2, SMALL_FOLDER, a, w);
            Trees.assertSame("A's other folder", otherA, "W", folder);
            w.stop();
        } finally {
            w.close();
        }
    }

    @Test
    @Order(8)
    void forgedSecretForTheRightFolderIdReceivesNothing() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        String readOnly = a.json("secret", "show", secret, "--json").path("readOnly").asText();
        String forged = ForgedSecrets.readOnlyWithWrongContentKey(readOnly, 42);
        JsonNode shown = a.json("secret", "show", forged, "--json");
        System.out.println("forged read-only secret as 'secret show' sees it: " + shown);
        assertEquals(folderId, shown.path("folderId").asText(), "the forged secret names A's folder id");

        DaemonProcess w = ws.start("w-forged", a.listen());
        try {
            Path folder = w.dir().resolve("folder");
            CliResult added = w.cli("folder", "add", folder.toString(), "--secret", forged);
            System.out.println("folder add with the forged secret: " + added);
            if (added.exitCode() == 0) {
                WrongSecretCheck.receivesNothing(w, a, folderId, folder, NOTHING_ARRIVES);
            } else {
                assertEquals(1, added.exitCode(), "a refused secret is an operation failure: " + added);
            }
            long aFiles = a.folder(folderId).localFiles();
            assertEquals(expectedFiles, aFiles, "A's own folder after W's attempt");
            w.stop();
        } finally {
            w.close();
        }
    }

    @Test
    @Order(9)
    void stopsCleanlyThenCliSaysTheDaemonIsNotRunningAndStateSurvivesARestart() throws Exception {
        assumeTrue(nodesUp, "the nodes did not come up");
        List<String> aFolders = a.cliOk("folder", "list").stdout().lines().toList();
        for (DaemonProcess node : List.of(c, b, a)) {
            node.stop();
        }
        for (String[] args : List.of(new String[] {"status"}, new String[] {"status", "--json"},
                new String[] {"folder", "list"})) {
            CliResult result = a.cli(args);
            assertEquals(3, result.exitCode(), () -> "against a stopped daemon: " + result);
            assertTrue(result.stderr().contains("daemon"), () -> "the message says how to start the daemon: " + result);
        }

        a.restart();
        c.restart();
        assertEquals(aFolders, a.cliOk("folder", "list").stdout().lines().toList(), "A's folders after a restart");
        assertTrue(c.cliOk("peer", "list").stdout().contains(b.listen()), "C's peer added by CLI after a restart");
        Map<String, Status.Folder> after = Convergence.statuses(folderId, a);
        assertEquals(expectedFiles, after.get("a").localFiles(), "A's files after a restart: " + after);
        a.stop();
        c.stop();
    }

    private static boolean containsPeer(JsonNode peers, String address, boolean mustBeConnected) {
        for (JsonNode peer : peers) {
            if (address.equals(peer.path("address").asText())
                    && (!mustBeConnected || peer.path("connected").asBoolean())) {
                return true;
            }
        }
        return false;
    }
}
