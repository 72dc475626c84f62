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
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Talks to the daemon of one home directory through the address and token the daemon left there. */
public final class ControlClient {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final Path home;
    private final URI base;
    private final String token;
    private final ObjectMapper json = Decoding.JSON;

    private ControlClient(Path home, URI base, String token) {
        this.home = home;
        this.base = base;
        this.token = token;
    }

    /**
     * Starts making the JSON mapper and the decoder of a status answer on another thread, so that a short CLI run
     * makes them while picocli reads its commands (each takes a good part of such a run, on a cold JVM). Whoever
     * needs the mapper first waits for that, as for any class initialization.
     */
    public static void prepareInBackground() {
        Thread warm = new Thread(Decoding::prepare, "json-warm-up");
        warm.setDaemon(true);
        warm.start();
    }

    /** The mapper, made once per process on first use. */
    private static final class Decoding {
        static final ObjectMapper JSON = ControlJson.mapper();

        static void prepare() {
            // Builds and caches the deserializers of the answer most runs read.
            JSON.readerFor(StatusView.class);
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
        return send(new Call("GET", "/v1/events?since=" + since + "&timeout=" + waitSeconds, null,
                Duration.ofSeconds(waitSeconds).plus(REQUEST_TIMEOUT)), io.peersync.daemon.health.EventLog.Page.class);
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

    /** One request to the API: method, path (with query), JSON body or null, and how long to wait for the answer. */
    private record Call(String method, String path, byte[] body, Duration timeout) {
    }

    private Call get(String path) {
        return new Call("GET", path, null, REQUEST_TIMEOUT);
    }

    private Call post(String path, Object body) {
        try {
            return new Call("POST", path, json.writeValueAsBytes(body), REQUEST_TIMEOUT);
        } catch (JacksonException e) {
            throw new IllegalStateException("cannot encode " + body, e);
        }
    }

    private <T> T send(Call call, Class<T> type) throws DaemonUnreachableException, ControlRequestException {
        return send(call, json.constructType(type));
    }

    private <T> T send(Call call, TypeReference<T> type) throws DaemonUnreachableException, ControlRequestException {
        return send(call, json.constructType(type));
    }

    /**
     * Sends one request with the JDK's HttpURLConnection: for one plain-HTTP request on loopback it starts in a
     * fraction of the time java.net.http's client needs (no selector thread, no TLS set-up), which is most of what
     * a CLI command costs.
     */
    private <T> T send(Call call, JavaType type) throws DaemonUnreachableException, ControlRequestException {
        int status;
        byte[] body;
        try {
            HttpURLConnection c = (HttpURLConnection) base.resolve(call.path()).toURL().openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) call.timeout().toMillis());
            c.setUseCaches(false);
            c.setRequestMethod(call.method());
            c.setRequestProperty("Authorization", "Bearer " + token);
            c.setRequestProperty("Accept", "application/json");
            if (call.body() != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(call.body().length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(call.body());
                }
            }
            status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
        } catch (ConnectException e) {
            throw DaemonUnreachableException.notRunning(home);
        } catch (SocketTimeoutException e) {
            throw new DaemonUnreachableException("The peersync daemon at " + base.getAuthority()
                    + " did not answer in time; check it is running with: peersync daemon --home " + home + ".");
        } catch (IOException e) {
            throw new DaemonUnreachableException("The peersync daemon at " + base.getAuthority()
                    + " did not answer (" + e.getClass().getSimpleName() + "); check it is running with: "
                    + "peersync daemon --home " + home + ".");
        }
        if (status == 401) {
            throw new DaemonUnreachableException("The service at " + base.getAuthority() + " refused the token in "
                    + home.resolve(ControlServer.TOKEN_FILE) + "; it is not this home's daemon (start it with: "
                    + "peersync daemon --home " + home + ").");
        }
        if (status / 100 != 2) {
            throw new ControlRequestException(errorMessage(call, status, body));
        }
        try {
            return json.readValue(body, type);
        } catch (IOException e) {
            throw new ControlRequestException("The daemon sent an answer this CLI cannot read; are both the same version?");
        }
    }

    private String errorMessage(Call call, int status, byte[] body) {
        try {
            ErrorBody error = json.readValue(body, ErrorBody.class);
            if (error != null && error.error() != null && !error.error().isBlank()) {
                return error.error();
            }
        } catch (IOException e) {
            // Not our JSON: fall through to a generic message.
        }
        String path = call.path().contains("?") ? call.path().substring(0, call.path().indexOf('?')) : call.path();
        return "The daemon answered HTTP " + status + " to " + call.method() + " " + path + ".";
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
