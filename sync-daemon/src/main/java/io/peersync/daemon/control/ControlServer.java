package io.peersync.daemon.control;

import io.peersync.daemon.config.AtomicFiles;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.peersync.daemon.control.ControlJson.AddFolderRequest;
import io.peersync.daemon.control.ControlJson.AddPeerRequest;
import io.peersync.daemon.control.ControlJson.ErrorBody;
import io.peersync.daemon.control.ControlJson.RemoveFolderRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local control API over HTTP: authenticates each request with the token in {@code home/api-token},
 * translates JSON to {@link ControlApi} calls and back, and publishes its address in {@code home/api-address}.
 */
public final class ControlServer implements AutoCloseable {
    public static final String ADDRESS_FILE = "api-address";
    public static final String TOKEN_FILE = ApiToken.FILE_NAME;

    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int THREADS = 4;
    private static final int QUEUE = 64;

    private final ControlApi api;
    private final InetSocketAddress bind;
    private final Path home;
    private final ObjectMapper json = ControlJson.mapper();
    private final Map<String, Route> routes;
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private ApiToken token;
    private String publishedAddress;

    public ControlServer(ControlApi api, InetSocketAddress bind, Path home) {
        this.api = api;
        this.bind = bind;
        this.home = home;
        this.routes = Map.ofEntries(
                Map.entry("GET /v1/status", body -> api.status()),
                Map.entry("GET /v1/folders", body -> api.folders()),
                Map.entry("POST /v1/folders", body -> addFolder(read(body, AddFolderRequest.class))),
                Map.entry("POST /v1/folders/remove", body -> removeFolder(read(body, RemoveFolderRequest.class))),
                Map.entry("POST /v1/folders/revert", body -> revertFolder(read(body, RemoveFolderRequest.class))),
                Map.entry("GET /v1/peers", body -> api.peers()),
                Map.entry("POST /v1/peers", body -> addPeer(read(body, AddPeerRequest.class))),
                Map.entry("POST /v1/versions", body -> versions(read(body, ControlJson.VersionsRequest.class))),
                Map.entry("POST /v1/restore", body -> restore(read(body, ControlJson.RestoreRequest.class))),
                Map.entry("POST /v1/folders/settings",
                        body -> configure(read(body, ControlJson.FolderSettingsRequest.class))));
    }

    /** Writes a fresh token, binds, starts serving, then publishes the bound address. */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException("control server already started");
        }
        token = ApiToken.createIn(home);
        HttpServer http = HttpServer.create(bind, QUEUE);
        executor = new ThreadPoolExecutor(1, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        server = http;
        publishedAddress = hostPort(http.getAddress());
        AtomicFiles.write(home.resolve(ADDRESS_FILE), publishedAddress + "\n", "rw-r--r--");
        log.debug("Control API listening on {}", publishedAddress);
    }

    /** The address actually bound, e.g. with the real port when {@code bind} asked for port 0. */
    public synchronized InetSocketAddress address() {
        if (server == null) {
            throw new IllegalStateException("control server not started");
        }
        return server.getAddress();
    }

    /** Stops serving and withdraws {@code home/api-address} so that clients see the daemon as stopped. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        server.stop(0);
        executor.shutdownNow();
        server = null;
        withdrawAddress();
    }

    private void withdrawAddress() {
        Path file = home.resolve(ADDRESS_FILE);
        try {
            // Another daemon may have started on this home since; only remove what we wrote.
            if (Files.exists(file) && Files.readString(file).trim().equals(publishedAddress)) {
                Files.delete(file);
            }
        } catch (IOException e) {
            log.warn("Could not remove {}: {}", file, e.toString());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
                respond(exchange, 401, new ErrorBody("Missing or wrong API token (see " + TOKEN_FILE
                        + " in the daemon's home directory)."));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            Route route = routes.get(exchange.getRequestMethod() + " " + path);
            if (route == null) {
                boolean known = routes.keySet().stream().anyMatch(k -> k.endsWith(" " + path));
                respond(exchange, known ? 405 : 404, new ErrorBody(known
                        ? exchange.getRequestMethod() + " is not allowed on " + path + "."
                        : "There is no " + path + " in the control API."));
                return;
            }
            dispatch(exchange, route);
        }
    }

    private void dispatch(HttpExchange exchange, Route route) throws IOException {
        try {
            respond(exchange, 200, route.handle(readBody(exchange.getRequestBody())));
        } catch (BadRequest | ControlException e) {
            respond(exchange, 400, new ErrorBody(e.getMessage()));
        } catch (RuntimeException e) {
            log.error("Control request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            respond(exchange, 500, new ErrorBody("internal error, see the daemon log"));
        }
    }

    private FolderView addFolder(AddFolderRequest request) throws ControlException, BadRequest {
        require(request.path(), "path");
        require(request.secret(), "secret");
        return api.addFolder(request.path(), request.secret(), request.preset());
    }

    private FolderView removeFolder(RemoveFolderRequest request) throws ControlException, BadRequest {
        require(request.folder(), "folder");
        return api.removeFolder(request.folder());
    }

    private RevertView revertFolder(RemoveFolderRequest request) throws ControlException, BadRequest {
        require(request.folder(), "folder");
        return api.revertFolder(request.folder());
    }

    private FolderSettingsView configure(ControlJson.FolderSettingsRequest r) throws ControlException, BadRequest {
        require(r.folder(), "folder");
        io.peersync.daemon.config.FolderSettings changes;
        try {
            changes = new io.peersync.daemon.config.FolderSettings(r.hook(), r.keepVersions(), r.keepDays(), r.owner(),
                    r.group(), r.minFree());
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage() + ".");
        }
        return api.configureFolder(r.folder(), changes, Boolean.TRUE.equals(r.clearHook()));
    }

    private PeerView addPeer(AddPeerRequest request) throws ControlException, BadRequest {
        require(request.address(), "address");
        return api.addPeer(request.address());
    }

    private java.util.List<VersionView> versions(ControlJson.VersionsRequest request)
            throws ControlException, BadRequest {
        require(request.folder(), "folder");
        require(request.path(), "path");
        return api.versions(request.folder(), request.path());
    }

    private VersionView restore(ControlJson.RestoreRequest request) throws ControlException, BadRequest {
        require(request.folder(), "folder");
        require(request.path(), "path");
        return api.restore(request.folder(), request.path(),
                request.at() == null || request.at().isBlank() ? null : request.at());
    }

    private static void require(String value, String field) throws BadRequest {
        if (value == null || value.isBlank()) {
            throw new BadRequest("The request needs a non-empty \"" + field + "\" field.");
        }
    }

    private <T> T read(byte[] body, Class<T> type) throws BadRequest {
        if (body.length == 0) {
            throw new BadRequest("The request body must be a JSON object.");
        }
        try {
            T value = json.readValue(body, type);
            if (value == null) {
                throw new BadRequest("The request body must be a JSON object.");
            }
            return value;
        } catch (JacksonException e) {
            throw new BadRequest("The request body is not valid JSON for this endpoint.");
        } catch (IOException e) {
            throw new BadRequest("The request body could not be read.");
        }
    }

    private static byte[] readBody(InputStream in) throws IOException, BadRequest {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequest("The request body is larger than " + MAX_BODY_BYTES + " bytes.");
        }
        return body;
    }

    private void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** {@code host:port} as clients should dial it, with IPv6 hosts in brackets. */
    static String hostPort(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, "control-api-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One endpoint: request body in, value to send as JSON out. */
    @FunctionalInterface
    private interface Route {
        Object handle(byte[] body) throws ControlException, BadRequest;
    }

    /** A request the server itself rejects before the API sees it; the message is one sentence. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }
}
