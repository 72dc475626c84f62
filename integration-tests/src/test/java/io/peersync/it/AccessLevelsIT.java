package io.peersync.it;

import static io.peersync.it.Convergence.awaitConverged;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The three access levels, enforced by cryptography, with real daemons: read-write A, read-only C and encrypted E.
 * C follows A and its own edits stay on it; E holds only ciphertext; and once A and C are gone, a brand-new
 * read-write node F gets the whole folder from E alone. (A node with a wrong secret: ThreeNodeSyncIT.)
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class AccessLevelsIT {
    private static final Duration INITIAL_SYNC = Duration.ofMinutes(4);
    private static final Duration CHANGE = Duration.ofMinutes(2);
    private static final String MARKER = "PEERSYNC-PLANTED-MARKER-5d1f0c77";
    private static final String MARKED = "wp-content/peersync-marker-note.txt";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._/-]{8,}");

    @RegisterExtension
    static final Workspace ws = new Workspace();

    private DaemonProcess a;
    private DaemonProcess c;
    private DaemonProcess e;
    private String folderId;
    private String readWrite;
    private Path folderA;
    private Path folderC;
    private Path folderE;
    private long files;
    private boolean up;

    @Test
    @Order(1)
    void readOnlyAndEncryptedNodesFollowTheReadWriteNode() throws Exception {
        a = ws.start("a");
        c = ws.start("c", a.listen());
        e = ws.start("e", a.listen());
        readWrite = a.cliOk("secret", "new").stdout().strip();
        JsonNode levels = a.json("secret", "show", readWrite, "--json");
        String readOnly = levels.get("readOnly").asText();
        String encrypted = levels.get("encrypted").asText();
        folderId = levels.get("folderId").asText();
        JsonNode ro = c.json("secret", "show", readOnly, "--json");
        assertEquals("read-only", ro.get("access").asText());
        assertTrue(ro.get("readWrite").isNull(), "a read-only secret never yields the read-write one");
        assertEquals(encrypted, ro.get("encrypted").asText());
        JsonNode enc = e.json("secret", "show", encrypted, "--json");
        assertTrue(enc.get("readOnly").isNull() && enc.get("readWrite").isNull(), "encrypted yields nothing higher");
        assertEquals(folderId, enc.get("folderId").asText());

        folderA = a.dir().resolve("folder");
        files = Corpus.materialize(folderA).files();
        Files.writeString(folderA.resolve(MARKED), "this line holds " + MARKER + " and must never leave the readers\n");
        files++;
        assertEquals(folderId, a.cliOk("folder", "add", folderA.toString(), "--secret", readWrite).stdout().strip());
        folderC = c.dir().resolve("folder");
        folderE = e.dir().resolve("folder");
        assertEquals(folderId, c.cliOk("folder", "add", folderC.toString(), "--secret", readOnly).stdout().strip());
        assertEquals(folderId, e.cliOk("folder", "add", folderE.toString(), "--secret", encrypted).stdout().strip());
        up = true;

        awaitConverged(folderId, files, INITIAL_SYNC, a, c, e);
        Trees.assertSame("A", folderA, "C", folderC);
        assertEquals("read-only", c.folder(folderId).access());
        assertEquals("encrypted", e.folder(folderId).access());
    }

    @Test
    @Order(2)
    void encryptedNodeHoldsNoNameAndNoPlaintext() throws IOException {
        assumeTrue(up, "the nodes did not come up");
        Set<String> names = corpusNames(folderA);
        assertTrue(names.size() > 100, "enough names to look for: " + names.size());
        List<String> found = new ArrayList<>();
        try (Stream<Path> all = Files.walk(e.dir())) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String name = p.getFileName().toString();
                if (names.contains(name)) {
                    found.add("file named " + name + " at " + p);
                }
                if (Files.isRegularFile(p)) {
                    String bytes = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                    if (bytes.contains(MARKER)) {
                        found.add("marker in " + p);
                    }
                    Matcher m = TOKEN.matcher(bytes);
                    while (m.find() && found.size() < 20) {
                        for (String part : m.group().split("/")) {
                            if (names.contains(part)) {
                                found.add("name " + part + " inside " + p);
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found, "plaintext on the encrypted node (folder and home)");
        String status = e.cliOk("status").stdout();
        assertFalse(status.contains("wp-") || status.contains(".php"), "encrypted status shows no names:\n" + status);
    }

    @Test
    @Order(3)
    void editOnReadOnlyNodeStaysThereAndRevertUndoesIt() throws Exception {
        assumeTrue(up, "the nodes did not come up");
        Path onC = folderC.resolve(MARKED);
        String original = Files.readString(folderA.resolve(MARKED));
        Files.writeString(onC, original + "edited on the read-only node\n");

        await("C reports its local change").atMost(CHANGE).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode f = folderJson(c);
            return f.path("localChanges").asInt() >= 1 && f.path("localChangedPaths").toString().contains(MARKED);
        });
        assertFalse(folderJson(c).path("inSync").asBoolean(), "a node with local edits is not in sync");
        await("the edit does not leave C").during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(20))
                .until(() -> Files.readString(folderA.resolve(MARKED)).equals(original));
        assertTrue(c.cliOk("status").stdout().contains(MARKED), "human status names the changed file");

        String said = c.cliOk("folder", "revert", folderId).stdout();
        assertTrue(said.contains("Reverted 1"), said);
        await("C back on the signed version").atMost(CHANGE).pollInterval(Duration.ofSeconds(1))
                .until(() -> Files.exists(onC) && Files.readString(onC).equals(original)
                        && folderJson(c).path("localChanges").asInt() == 0 && folderJson(c).path("inSync").asBoolean());
        assertEquals(1, c.cli("folder", "revert", c.dir().resolve("no-such-folder").toString()).exitCode(),
                "revert of an unknown folder fails");
        assertEquals(1, a.cli("folder", "revert", folderId).exitCode(), "only read-only folders revert");
    }

    @Test
    @Order(5)
    void newReadWriteNodeGetsTheWholeFolderFromTheEncryptedNodeAlone() throws Exception {
        assumeTrue(up, "the nodes did not come up");
        a.stop();
        c.stop();
        DaemonProcess f = ws.start("f", e.listen());
        try {
            Path folderF = f.dir().resolve("folder");
            assertEquals(folderId, f.cliOk("folder", "add", folderF.toString(), "--secret", readWrite).stdout().strip());
            awaitConverged(folderId, files, INITIAL_SYNC, f, e);
            Trees.assertSame("A", folderA, "F", folderF);
            JsonNode peers = folderJson(f).path("peers");
            assertEquals(1, peers.size(), "F's only peer is E: " + peers);
            assertEquals(e.status().node().id(), peers.get(0).path("node").asText());
            assertTrue(folderJson(f).path("bytesReceived").asLong() > 0, "content came over the network from E");
            f.stop();
        } finally {
            f.close();
        }
    }

    private JsonNode folderJson(DaemonProcess node) {
        for (JsonNode f : node.json("status", "--json").path("folders")) {
            if (folderId.equals(f.path("id").asText())) {
                return f;
            }
        }
        throw new AssertionError(node.name() + " has no folder " + folderId);
    }

    /** File and directory names of the corpus long enough not to turn up in random bytes by chance. */
    private static Set<String> corpusNames(Path root) throws IOException {
        Set<String> names = new HashSet<>();
        try (Stream<Path> all = Files.walk(root)) {
            all.filter(p -> !p.toString().contains("/.peersync"))
                    .map(p -> p.getFileName().toString())
                    .filter(n -> n.length() >= 8)
                    .forEach(names::add);
        }
        assertNotNull(names);
        return names;
    }
}
