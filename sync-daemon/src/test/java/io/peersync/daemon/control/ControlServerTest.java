package io.peersync.daemon.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlServerTest {
    /** The contract's fields: all must be there; more are welcome. */
    private static final Set<String> FOLDER_STATUS_KEYS = Set.of("id", "path", "access", "state",
            "localFiles", "localBytes", "globalFiles", "globalBytes", "needFiles", "needBytes",
            "inSync", "error", "peers");

    @TempDir
    Path home;

    private final InMemoryControlApi api = new InMemoryControlApi();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private ControlServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ControlServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void rejectsRequestWithoutToken() throws Exception {
        HttpResponse<String> response = http.send(request("/v1/status").GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
        assertTrue(json.readTree(response.body()).get("error").isTextual());
    }

    @Test
    void rejectsWrongToken() throws Exception {
        HttpResponse<String> response = http.send(request("/v1/status")
                .header("Authorization", "Bearer " + "x".repeat(43)).GET().build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
    }

    @Test
    void writesOwnerOnlyTokenAndTheBoundAddress() throws Exception {
        Path tokenFile = home.resolve("api-token");

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
        assertTrue(Files.readString(tokenFile).trim().matches("[A-Za-z0-9_-]{43}"));
        assertEquals("127.0.0.1:" + server.address().getPort(), Files.readString(home.resolve("api-address")).trim());
    }

    @Test
    void rewritesTokenOnEachStart() throws Exception {
        String first = token();
        server.close();
        server = new ControlServer(api, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), home);
        server.start();

        assertNotEquals(first, token());
    }

    @Test
    void closeWithdrawsTheAddressFile() {
        server.close();

        assertFalse(Files.exists(home.resolve("api-address")));
    }

    @Test
    void statusUsesTheContractFieldNames() throws Exception {
        post("/v1/folders", "{\"path\":\"/tmp/a\",\"secret\":\"RWXYZ\"}");
        post("/v1/peers", "{\"address\":\"127.0.0.1:41002\"}");

        HttpResponse<String> response = get("/v1/status");

        assertEquals(200, response.statusCode());
        JsonNode status = json.readTree(response.body());
        assertEquals(Set.of("node", "folders"), keys(status));
        assertEquals(Set.of("id", "listen"), keys(status.get("node")));
        JsonNode folder = status.get("folders").get(0);
        assertTrue(keys(folder).containsAll(FOLDER_STATUS_KEYS), () -> "missing: " + FOLDER_STATUS_KEYS + " in " + keys(folder));
        assertFalse(folder.get("inSync").asBoolean());
        assertEquals(100, folder.get("needBytes").asLong());
        assertTrue(folder.get("error").isNull());
        assertEquals(Set.of("node", "address", "connected"), keys(folder.get("peers").get(0)));
        assertTrue(folder.get("peers").get(0).get("connected").asBoolean());
    }

    @Test
    void peersSerializeStaticUnderItsContractName() throws Exception {
        post("/v1/peers", "{\"address\":\"127.0.0.1:41002\"}");

        JsonNode peer = json.readTree(get("/v1/peers").body()).get(0);

        assertEquals(Set.of("address", "node", "connected", "static", "folders"), keys(peer));
        assertTrue(peer.get("static").asBoolean());
    }

    @Test
    void peerViewRoundTripsThroughTheSharedMapper() throws Exception {
        ObjectMapper mapper = ControlJson.mapper();
        PeerView peer = new PeerView("127.0.0.1:41002", null, false, true, List.of("F1"));

        assertEquals(peer, mapper.readValue(mapper.writeValueAsString(peer), PeerView.class));
    }

    @Test
    void addsAndRemovesFolders() throws Exception {
        HttpResponse<String> added = post("/v1/folders",
                "{\"path\":\"/tmp/a\",\"secret\":\"RWXYZ\",\"preset\":\"wordpress\"}");
        assertEquals(200, added.statusCode());
        assertEquals("FXYZ", json.readTree(added.body()).get("id").asText());

        HttpResponse<String> removed = post("/v1/folders/remove", "{\"folder\":\"/tmp/a\"}");

        assertEquals(200, removed.statusCode());
        assertEquals("[]", get("/v1/folders").body());
    }

    @Test
    void refusedFolderIs400WithTheApiMessage() throws Exception {
        HttpResponse<String> response = post("/v1/folders", "{\"path\":\"/tmp/a\",\"secret\":\"nope\"}");

        assertEquals(400, response.statusCode());
        assertEquals("That secret is not valid.", json.readTree(response.body()).get("error").asText());
    }

    @Test
    void missingFieldIs400() throws Exception {
        HttpResponse<String> response = post("/v1/folders", "{\"path\":\"/tmp/a\"}");

        assertEquals(400, response.statusCode());
        assertTrue(json.readTree(response.body()).get("error").asText().contains("secret"));
    }

    @Test
    void malformedJsonIs400WithOneSentence() throws Exception {
        HttpResponse<String> response = post("/v1/peers", "{\"address\":");

        assertEquals(400, response.statusCode());
        String error = json.readTree(response.body()).get("error").asText();
        assertTrue(error.endsWith(".") && !error.contains("\n"), error);
    }

    @Test
    void unexpectedFailureIs500WithoutDetails() throws Exception {
        api.failure = new IllegalStateException("secret internals");

        HttpResponse<String> response = get("/v1/status");

        assertEquals(500, response.statusCode());
        assertEquals("internal error, see the daemon log", json.readTree(response.body()).get("error").asText());
    }

    @Test
    void unknownPathIs404AndWrongMethodIs405() throws Exception {
        assertEquals(404, get("/v1/nothing").statusCode());
        assertEquals(405, post("/v1/status", "{}").statusCode());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void eventsLongPollWaitsForTheNextEventWhileOtherRequestsAreAnswered() throws Exception {
        api.events.add("folderState", "F", java.util.Map.of("state", "idle"));
        JsonNode first = json.readTree(get("/v1/events?since=0").body());
        assertEquals(1, first.get("events").size());
        assertEquals(1, first.get("last").asLong());

        java.util.concurrent.CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
                authorized("/v1/events?since=1&timeout=30").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, get("/v1/status").statusCode(), "a waiting event reader must not hold up other requests");
        assertFalse(waiting.isDone());
        api.events.add("conflict", "F", java.util.Map.of("path", "a.txt"));

        JsonNode next = json.readTree(waiting.get(10, java.util.concurrent.TimeUnit.SECONDS).body());
        assertEquals("conflict", next.get("events").get(0).get("type").asText());
        assertEquals(2, next.get("last").asLong());
    }

    @Test
    void eventsRejectAQueryThatIsNotANumber() throws Exception {
        HttpResponse<String> response = get("/v1/events?since=abc");

        assertEquals(400, response.statusCode());
        assertEquals("since and timeout must be whole numbers.", json.readTree(response.body()).get("error").asText());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder authorized(String path) throws IOException {
        return request(path).header("Authorization", "Bearer " + token());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    }

    private String token() throws IOException {
        return Files.readString(home.resolve("api-token")).trim();
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
