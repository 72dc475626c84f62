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
    static final int MAX_EVENT_WAIT_SECONDS = 60;
    /** Long polls that may wait at once; fewer than the threads, so other requests are always answered. */
    static final int EVENT_READERS = THREADS - 1;
    private final java.util.concurrent.Semaphore eventReaders = new java.util.concurrent.Semaphore(EVENT_READERS);

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
                Map.entry("POST /v1/folders/pause",
                        body -> api.pauseFolder(folder(read(body, RemoveFolderRequest.class)))),
                Map.entry("POST /v1/folders/resume",
                        body -> api.resumeFolder(folder(read(body, RemoveFolderRequest.class)))),
                Map.entry("POST /v1/folders/rescan", body -> rescan(read(body, ControlJson.RescanRequest.class))),
                Map.entry("GET /v1/health", body -> api.health()),
                Map.entry("GET /v1/events", body -> {
                    throw new IllegalStateException("events are answered by events()");
                }),
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
        HttpServer http = LocalHttp.create(bind, QUEUE);
        // All threads are core threads (idle ones time out): a pool grows past its core only when its queue is full,
        // and a waiting event reader must not hold the only thread.
        executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE),
                daemonThreads(), new ThreadPoolExecutor.CallerRunsPolicy());
        executor.allowCoreThreadTimeOut(true);
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
            if (path.equals("/v1/events")) {
                events(exchange);
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

    private static String folder(RemoveFolderRequest request) throws BadRequest {
        require(request.folder(), "folder");
        return request.folder();
    }

    private RescanView rescan(ControlJson.RescanRequest request) throws ControlException, BadRequest {
        require(request.folder(), "folder");
        return api.rescan(request.folder(), request.path());
    }

    /**
     * {@code GET /v1/events?since=N&timeout=S}: the events after number N (0 for all that are kept), waiting up to S
     * seconds (at most {@value #MAX_EVENT_WAIT_SECONDS}) for one. At most {@value #EVENT_READERS} wait at once, so the
     * other requests keep their threads.
     */
    private void events(HttpExchange exchange) throws IOException {
        long since;
        long timeout;
        try {
            Map<String, String> q = query(exchange.getRequestURI().getRawQuery());
            since = Long.parseLong(q.getOrDefault("since", "0"));
            timeout = Long.parseLong(q.getOrDefault("timeout", "0"));
        } catch (NumberFormatException e) {
            respond(exchange, 400, new ErrorBody("since and timeout must be whole numbers."));
            return;
        }
        if (since < 0 || timeout < 0) {
            respond(exchange, 400, new ErrorBody("since and timeout must not be negative."));
            return;
        }
        if (!eventReaders.tryAcquire()) {
            respond(exchange, 503, new ErrorBody("Too many event readers are waiting; try again later."));
            return;
        }
        try {
            respond(exchange, 200, api.events(since, java.time.Duration.ofSeconds(
                    Math.min(timeout, MAX_EVENT_WAIT_SECONDS))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            eventReaders.release();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new java.util.HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&", 16)) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return out;
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
