package io.peersync.cli.client;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.peersync.daemon.control.ControlJson;
import io.peersync.daemon.control.ControlJson.AddFolderRequest;
import io.peersync.daemon.control.ControlJson.AddPeerRequest;
import io.peersync.daemon.control.ControlJson.ErrorBody;
import io.peersync.daemon.control.ControlJson.RemoveFolderRequest;
import io.peersync.daemon.control.ControlServer;
import io.peersync.daemon.control.FolderView;
import io.peersync.daemon.control.PeerView;
import io.peersync.daemon.control.StatusView;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/** Talks to the daemon of one home directory through the address and token the daemon left there. */
public final class ControlClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final URI base;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper json = ControlJson.mapper();

    private ControlClient(Path home, URI base, String token) {
        this.home = home;
        this.base = base;
        this.token = token;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .sslContext(plainHttpOnly())
                .build();
    }

    /**
     * The API is plain HTTP, but HttpClient builds an SSL context anyway; the default one parses the whole CA
     * store, about a quarter of a CLI command's start-up. This one trusts nothing and is never used.
     */
    private static SSLContext plainHttpOnly() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JVM", e);
        }
    }

    /** A client for the daemon whose {@code api-address} and {@code api-token} are in {@code home}. */
    public static ControlClient forHome(Path home) throws DaemonUnreachableException, ControlRequestException {
        String address = readHomeFile(home, ControlServer.ADDRESS_FILE);
        String token = readHomeFile(home, ControlServer.TOKEN_FILE);
        URI base;
        try {
            base = URI.create("http://" + dialable(address));
        } catch (IllegalArgumentException e) {
            throw new ControlRequestException("The file " + home.resolve(ControlServer.ADDRESS_FILE)
                    + " does not hold an address (expected: HOST:PORT).");
        }
        return new ControlClient(home, base, token);
    }

    public StatusView status() throws DaemonUnreachableException, ControlRequestException {
        return send(get("/v1/status"), StatusView.class);
    }

    public List<FolderView> folders() throws DaemonUnreachableException, ControlRequestException {
        return send(get("/v1/folders"), new TypeReference<List<FolderView>>() { });
    }

    public FolderView addFolder(String path, String secret, String preset)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders", new AddFolderRequest(path, secret, preset)), FolderView.class);
    }

    public FolderView removeFolder(String idOrPath) throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/remove", new RemoveFolderRequest(idOrPath)), FolderView.class);
    }

    public io.peersync.daemon.control.RevertView revertFolder(String idOrPath)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/revert", new RemoveFolderRequest(idOrPath)),
                io.peersync.daemon.control.RevertView.class);
    }

    public io.peersync.daemon.control.FolderSettingsView configureFolder(
            io.peersync.daemon.control.ControlJson.FolderSettingsRequest request)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/settings", request), io.peersync.daemon.control.FolderSettingsView.class);
    }

    public FolderView pauseFolder(String idOrPath) throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/pause", new RemoveFolderRequest(idOrPath)), FolderView.class);
    }

    public FolderView resumeFolder(String idOrPath) throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/resume", new RemoveFolderRequest(idOrPath)), FolderView.class);
    }

    /** Queues a scan of a folder, or of one path in it ({@code path} null for all of it). */
    public io.peersync.daemon.control.RescanView rescan(String idOrPath, String path)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/folders/rescan", new ControlJson.RescanRequest(idOrPath, path)),
                io.peersync.daemon.control.RescanView.class);
    }

    public io.peersync.daemon.health.HealthReport health() throws DaemonUnreachableException, ControlRequestException {
        return send(get("/v1/health"), io.peersync.daemon.health.HealthReport.class);
    }

    /** The events after number {@code since}, waiting up to {@code waitSeconds} for the first. */
    public io.peersync.daemon.health.EventLog.Page events(long since, long waitSeconds)
            throws DaemonUnreachableException, ControlRequestException {
        HttpRequest request = request("/v1/events?since=" + since + "&timeout=" + waitSeconds)
                .timeout(Duration.ofSeconds(waitSeconds).plus(REQUEST_TIMEOUT)).GET().build();
        return send(request, io.peersync.daemon.health.EventLog.Page.class);
    }

    public List<PeerView> peers() throws DaemonUnreachableException, ControlRequestException {
        return send(get("/v1/peers"), new TypeReference<List<PeerView>>() { });
    }

    public PeerView addPeer(String address) throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/peers", new AddPeerRequest(address)), PeerView.class);
    }

    public List<io.peersync.daemon.control.VersionView> versions(String folder, String path)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/versions", new ControlJson.VersionsRequest(folder, path)),
                new TypeReference<List<io.peersync.daemon.control.VersionView>>() { });
    }

    /** Restores the newest version archived at or before {@code at} (ISO-8601; null for the newest). */
    public io.peersync.daemon.control.VersionView restore(String folder, String path, String at)
            throws DaemonUnreachableException, ControlRequestException {
        return send(post("/v1/restore", new ControlJson.RestoreRequest(folder, path, at)),
                io.peersync.daemon.control.VersionView.class);
    }

    private HttpRequest get(String path) {
        return request(path).GET().build();
    }

    private HttpRequest post(String path, Object body) {
        try {
            return request(path)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot encode " + body, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json");
    }

    private <T> T send(HttpRequest request, Class<T> type) throws DaemonUnreachableException, ControlRequestException {
        return send(request, json.constructType(type));
    }

    private <T> T send(HttpRequest request, TypeReference<T> type)
            throws DaemonUnreachableException, ControlRequestException {
        return send(request, json.constructType(type));
    }

    private <T> T send(HttpRequest request, JavaType type) throws DaemonUnreachableException, ControlRequestException {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw DaemonUnreachableException.notRunning(home);
        } catch (IOException e) {
            throw new DaemonUnreachableException("The peersync daemon at " + base.getAuthority()
                    + " did not answer (" + e.getClass().getSimpleName() + "); check it is running with: "
                    + "peersync daemon --home " + home + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlRequestException("Interrupted while waiting for the daemon.");
        }
        int status = response.statusCode();
        if (status == 401) {
            throw new DaemonUnreachableException("The service at " + base.getAuthority() + " refused the token in "
                    + home.resolve(ControlServer.TOKEN_FILE) + "; it is not this home's daemon (start it with: "
                    + "peersync daemon --home " + home + ").");
        }
        if (status / 100 != 2) {
            throw new ControlRequestException(errorMessage(request, response));
        }
        try {
            return json.readValue(response.body(), type);
        } catch (IOException e) {
            throw new ControlRequestException("The daemon sent an answer this CLI cannot read; are both the same version?");
        }
    }

    private String errorMessage(HttpRequest request, HttpResponse<byte[]> response) {
        try {
            ErrorBody body = json.readValue(response.body(), ErrorBody.class);
            if (body != null && body.error() != null && !body.error().isBlank()) {
                return body.error();
            }
        } catch (IOException e) {
            // Not our JSON: fall through to a generic message.
        }
        return "The daemon answered HTTP " + response.statusCode() + " to " + request.method() + " "
                + request.uri().getPath() + ".";
    }

    private static String readHomeFile(Path home, String name) throws DaemonUnreachableException, ControlRequestException {
        Path file = home.resolve(name);
        try {
            String content = Files.readString(file).trim();
            if (content.isEmpty()) {
                throw DaemonUnreachableException.notRunning(home);
            }
            return content;
        } catch (NoSuchFileException e) {
            throw DaemonUnreachableException.notRunning(home);
        } catch (AccessDeniedException e) {
            throw new ControlRequestException("Cannot read " + file + ": permission denied (run as the daemon's user).");
        } catch (IOException e) {
            throw new ControlRequestException("Cannot read " + file + ": " + e.getMessage() + ".");
        }
    }

    /** A daemon bound to every interface is reached on loopback. */
    private static String dialable(String address) {
        if (address.startsWith("0.0.0.0:")) {
            return "127.0.0.1" + address.substring("0.0.0.0".length());
        }
        if (address.startsWith("[::]:") || address.startsWith("[0:0:0:0:0:0:0:0]:")) {
            return "[::1]" + address.substring(address.indexOf("]:") + 1);
        }
        return address;
    }
}
