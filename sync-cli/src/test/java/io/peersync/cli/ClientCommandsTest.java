package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersync.daemon.control.ControlServer;
import io.peersync.protocol.secret.FolderSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientCommandsTest {
    @TempDir
    Path home;
    @TempDir
    Path emptyHome;
    @TempDir
    Path shared;

    private final ObjectMapper json = new ObjectMapper();
    private final InMemoryControlApi api = new InMemoryControlApi();
    private ControlServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = new ControlServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void statusWithoutDaemonExits3AndSaysHowToStartIt() {
        CliRun run = CliRun.of("status", "--home", emptyHome.toString());

        assertEquals(3, run.exitCode());
        assertEquals(List.of("The peersync daemon is not running (start it with: peersync daemon --home "
                + emptyHome.toAbsolutePath() + ")."), run.errLines());
        assertEquals("", run.out());
    }

    @Test
    void staleAddressOfAStoppedDaemonExits3() throws IOException {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            freePort = socket.getLocalPort();
        }
        Files.writeString(emptyHome.resolve("api-address"), "127.0.0.1:" + freePort + "\n");
        Files.writeString(emptyHome.resolve("api-token"), "stale\n");

        CliRun run = CliRun.of("folder", "list", "--home", emptyHome.toString());

        assertEquals(3, run.exitCode());
        assertTrue(run.err().startsWith("The peersync daemon is not running"), run.err());
    }

    @Test
    void folderAddPrintsTheIdAndListJsonShowsIt() throws Exception {
        FolderSecret secret = FolderSecret.generate();

        CliRun added = CliRun.of("folder", "add", shared.toString(), "--secret", secret.text(),
                "--preset", "wordpress", "--home", home.toString());
        CliRun listed = CliRun.of("folder", "list", "--json", "--home", home.toString());

        assertEquals(0, added.exitCode(), added.err());
        assertEquals(List.of(secret.folderId().toString()), added.outLines());
        assertEquals(0, listed.exitCode(), listed.err());
        JsonNode folders = json.readTree(listed.out());
        assertEquals(1, folders.size());
        assertEquals(secret.folderId().toString(), folders.get(0).get("id").asText());
        assertEquals(shared.toAbsolutePath().toString(), folders.get(0).get("path").asText());
        assertEquals("read-write", folders.get(0).get("access").asText());
    }

    @Test
    void folderAddSendsARelativeDirAsAbsolute() throws Exception {
        CliRun added = CliRun.of("folder", "add", "target/some-dir", "--secret", FolderSecret.generate().text(),
                "--home", home.toString());

        assertEquals(0, added.exitCode(), added.err());
        assertEquals(Path.of("target/some-dir").toAbsolutePath().toString(), api.folders().get(0).path());
    }

    @Test
    void refusedFolderExits1WithTheDaemonsSentence() {
        CliRun run = CliRun.of("folder", "add", shared.toString(), "--secret", "Wbogus", "--home", home.toString());

        assertEquals(1, run.exitCode());
        assertEquals(List.of("That is not a folder secret."), run.errLines());
    }

    @Test
    void folderRemoveAcceptsAPath() {
        CliRun.of("folder", "add", shared.toString(), "--secret", FolderSecret.generate().text(),
                "--home", home.toString());

        CliRun removed = CliRun.of("folder", "remove", shared.toString(), "--home", home.toString());

        assertEquals(0, removed.exitCode(), removed.err());
        assertTrue(api.folders().isEmpty());
        assertTrue(Files.isDirectory(shared));
    }

    @Test
    void peerAddThenListJsonShowsStaticPeer() throws Exception {
        CliRun added = CliRun.of("peer", "add", "127.0.0.1:42002", "--home", home.toString());
        CliRun listed = CliRun.of("peer", "list", "--json", "--home", home.toString());

        assertEquals(0, added.exitCode(), added.err());
        JsonNode peer = json.readTree(listed.out()).get(0);
        assertEquals("127.0.0.1:42002", peer.get("address").asText());
        assertTrue(peer.get("static").asBoolean());
        assertFalse(peer.get("connected").asBoolean());
    }

    @Test
    void statusJsonHasTheContractFields() throws Exception {
        CliRun.of("folder", "add", shared.toString(), "--secret", FolderSecret.generate().text(),
                "--home", home.toString());

        CliRun run = CliRun.of("status", "--json", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode status = json.readTree(run.out());
        assertEquals(InMemoryControlApi.NODE, status.get("node").get("id").asText());
        JsonNode folder = status.get("folders").get(0);
        for (String field : List.of("id", "path", "access", "state", "localFiles", "localBytes", "globalFiles",
                "globalBytes", "needFiles", "needBytes", "inSync", "error", "peers")) {
            assertTrue(folder.has(field), field);
        }
    }

    @Test
    void statusForPeopleShowsCountsAndAProgressBar() {
        CliRun.of("folder", "add", shared.toString(), "--secret", FolderSecret.generate().text(),
                "--home", home.toString());
        CliRun.of("peer", "add", "127.0.0.1:42002", "--home", home.toString());

        CliRun run = CliRun.of("status", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("3 files, 3.0 MiB"), run.out());
        assertTrue(run.out().contains("[######################--------]  75%"), run.out());
        assertTrue(run.out().contains("127.0.0.1:42002  disconnected"), run.out());
    }

    @Test
    void watchJsonPrintsOneDocumentPerFrame() throws Exception {
        CliRun run = CliRun.of(cli -> {
            StatusCommand status = cli.getSubcommands().get("status").getCommand();
            status.interval = Duration.ZERO;
            status.maxFrames = 3;
        }, "status", "--watch", "--json", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(3, run.outLines().size());
        for (String line : run.outLines()) {
            assertEquals(InMemoryControlApi.NODE, json.readTree(line).get("node").get("id").asText());
        }
    }

    @Test
    void watchRedrawsWithAnAnsiClear() {
        CliRun run = CliRun.of(cli -> {
            StatusCommand status = cli.getSubcommands().get("status").getCommand();
            status.interval = Duration.ZERO;
            status.maxFrames = 2;
            status.terminal = true;
        }, "status", "--watch", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2, run.out().split("\033\\[H\033\\[2J", -1).length - 1);
    }

    @Test
    void watchIntoAPipePrintsPlainFramesWithoutEscapeCodes() {
        CliRun run = CliRun.of(cli -> {
            StatusCommand status = cli.getSubcommands().get("status").getCommand();
            status.interval = Duration.ZERO;
            status.maxFrames = 2;
            status.terminal = false;
        }, "status", "--watch", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.out().contains("\033"), run.out());
        assertEquals(2, run.out().split("Node " + InMemoryControlApi.NODE, -1).length - 1);
    }
}
