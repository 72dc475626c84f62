package io.peersync.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersync.daemon.control.ControlServer;
import io.peersync.protocol.secret.FolderSecret;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VersionCommandsTest {
    @TempDir
    Path home;
    @TempDir
    Path shared;

    private final ObjectMapper json = new ObjectMapper();
    private final InMemoryControlApi api = new InMemoryControlApi();
    private ControlServer server;
    private String folderId;

    @BeforeEach
    void startServer() throws IOException {
        server = new ControlServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home);
        server.start();
        FolderSecret secret = FolderSecret.generate();
        folderId = secret.folderId().toString();
        CliRun.of("folder", "add", shared.toString(), "--secret", secret.text(), "--home", home.toString());
        api.addVersion(folderId, "docs/a.txt", "2026-11-28T13:00:00Z", 512);
        api.addVersion(folderId, "docs/a.txt", "2026-11-28T13:10:00Z", 2048);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void versionsPrintsATableNewestFirst() {
        CliRun run = CliRun.of("versions", folderId, "docs/a.txt", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of(
                "ARCHIVED AT           SIZE",
                "2026-11-28T13:10:00Z  2.0 KiB",
                "2026-11-28T13:00:00Z  512 B"), run.outLines());
    }

    @Test
    void versionsJsonHasTheViewFields() throws Exception {
        CliRun run = CliRun.of("versions", shared.toString(), "docs/a.txt", "--json", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        JsonNode versions = json.readTree(run.out());
        assertEquals(2, versions.size());
        assertEquals("2026-11-28T13:10:00Z", versions.get(0).get("archivedAt").asText());
        assertEquals(".peersync/archive/docs/a.txt~2026-11-28T13:10:00Z",
                versions.get(0).get("archivePath").asText());
        assertEquals(2048, versions.get(0).get("size").asLong());
        assertEquals("docs/a.txt", versions.get(0).get("path").asText());
    }

    @Test
    void versionsAcceptsAnAbsolutePathInsideTheFolder() {
        CliRun run = CliRun.of("versions", folderId, shared.resolve("docs/a.txt").toString(), "--json",
                "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("2026-11-28T13:00:00Z"), run.out());
    }

    @Test
    void versionsOfAFileWithoutVersionsSaysSo() {
        CliRun run = CliRun.of("versions", folderId, "other.txt", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("No archived versions of other.txt."), run.outLines());
    }

    @Test
    void restoreWithoutAtTakesTheNewestVersion() {
        CliRun run = CliRun.of("restore", folderId, "docs/a.txt", "--home", home.toString());

        assertEquals(0, run.exitCode(), run.err());
        assertEquals(List.of("Restored docs/a.txt to the version archived at 2026-11-28T13:10:00Z (2.0 KiB)."),
                run.outLines());
    }

    @Test
    void restoreAtAcceptsIsoAndStampTimes() {
        CliRun iso = CliRun.of("restore", folderId, "docs/a.txt", "--at", "2026-11-28T13:05:00Z",
                "--home", home.toString());
        CliRun stamp = CliRun.of("restore", folderId, "docs/a.txt", "--at", "20261128-131000",
                "--home", home.toString());

        assertEquals(0, iso.exitCode(), iso.err());
        assertTrue(iso.out().contains("archived at 2026-11-28T13:00:00Z"), iso.out());
        assertEquals(0, stamp.exitCode(), stamp.err());
        assertTrue(stamp.out().contains("archived at 2026-11-28T13:10:00Z"), stamp.out());
    }

    @Test
    void restoreWithABadTimeIsAUsageError() {
        CliRun run = CliRun.of("restore", folderId, "docs/a.txt", "--at", "yesterday", "--home", home.toString());

        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("yyyyMMdd-HHmmss"), run.err());
    }

    @Test
    void restoreWithoutAMatchingVersionExits1WithTheDaemonsSentence() {
        CliRun run = CliRun.of("restore", folderId, "docs/a.txt", "--at", "2026-01-01T00:00:00Z",
                "--home", home.toString());

        assertEquals(1, run.exitCode());
        assertEquals(List.of("There is no archived version of docs/a.txt from 2026-01-01T00:00:00Z or earlier."),
                run.errLines());
    }

    @Test
    void versionsNeedsFolderAndPath() {
        assertEquals(2, CliRun.of("versions", folderId, "--home", home.toString()).exitCode());
    }
}
