package io.peersync.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The versions archive endpoints: {@code POST /v1/versions} and {@code POST /v1/restore}. */
class ControlServerVersionsTest {
    @TempDir
    Path home;

    private final InMemoryControlApi api = new InMemoryControlApi();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ControlServer server;

    @BeforeEach
    void start() throws Exception {
        server = new ControlServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home);
        server.start();
        post("/v1/folders", "{\"path\":\"/tmp/a\",\"secret\":\"RWXYZ\"}");
        api.addVersion("FXYZ", "docs/a.txt", "2026-11-28T13:00:00Z", 10);
        api.addVersion("FXYZ", "docs/a.txt", "2026-11-28T13:10:00Z", 20);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void versionsListsNewestFirstWithTheViewFields() throws Exception {
        HttpResponse<String> response = post("/v1/versions", "{\"folder\":\"FXYZ\",\"path\":\"docs/a.txt\"}");

        assertEquals(200, response.statusCode());
        JsonNode versions = json.readTree(response.body());
        assertEquals(2, versions.size());
        assertEquals(Set.of("path", "archivePath", "archivedAt", "size"), keys(versions.get(0)));
        assertEquals("2026-11-28T13:10:00Z", versions.get(0).get("archivedAt").asText());
        assertEquals(20, versions.get(0).get("size").asLong());
        assertEquals("docs/a.txt", versions.get(1).get("path").asText());
    }

    @Test
    void restorePassesAtThroughAndAnswersTheRestoredVersion() throws Exception {
        HttpResponse<String> newest = post("/v1/restore", "{\"folder\":\"/tmp/a\",\"path\":\"docs/a.txt\"}");
        HttpResponse<String> earlier = post("/v1/restore",
                "{\"folder\":\"FXYZ\",\"path\":\"docs/a.txt\",\"at\":\"2026-11-28T13:05:00Z\"}");

        assertEquals(200, newest.statusCode());
        assertEquals("2026-11-28T13:10:00Z", json.readTree(newest.body()).get("archivedAt").asText());
        assertEquals(200, earlier.statusCode());
        assertEquals("2026-11-28T13:00:00Z", json.readTree(earlier.body()).get("archivedAt").asText());
    }

    @Test
    void restoreWithoutAMatchingVersionIs400WithTheApiMessage() throws Exception {
        HttpResponse<String> response = post("/v1/restore",
                "{\"folder\":\"FXYZ\",\"path\":\"docs/a.txt\",\"at\":\"20261128-120000\"}");

        assertEquals(400, response.statusCode());
        assertEquals("There is no archived version of docs/a.txt from " + Instant.parse("2026-11-28T12:00:00Z")
                + " or earlier.", json.readTree(response.body()).get("error").asText());
    }

    @Test
    void missingFolderOrPathIs400() throws Exception {
        HttpResponse<String> noPath = post("/v1/versions", "{\"folder\":\"FXYZ\"}");
        HttpResponse<String> noFolder = post("/v1/restore", "{\"path\":\"docs/a.txt\"}");

        assertEquals(400, noPath.statusCode());
        assertTrue(json.readTree(noPath.body()).get("error").asText().contains("path"));
        assertEquals(400, noFolder.statusCode());
        assertTrue(json.readTree(noFolder.body()).get("error").asText().contains("folder"));
    }

    @Test
    void versionsOfAnUnknownFolderIs400() throws Exception {
        HttpResponse<String> response = post("/v1/versions", "{\"folder\":\"FNOPE\",\"path\":\"x\"}");

        assertEquals(400, response.statusCode());
    }

    @Test
    void versionsIsPostOnly() throws Exception {
        HttpResponse<String> response = http.send(authorized("/v1/versions").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(405, response.statusCode());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path) throws IOException {
        String token = Files.readString(home.resolve("api-token")).trim();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path))
                .header("Authorization", "Bearer " + token);
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
