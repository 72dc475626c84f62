package io.peersync.daemon.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.peersync.daemon.control.LocalHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener for load balancers and monitoring, without a token (it tells nothing secret): {@code GET /health}
 * answers 200 when the node is fit to serve and 503 otherwise, {@code GET /health/FOLDER-ID} the same for one
 * folder, and {@code GET /metrics} the Prometheus metrics. Answers come from the last sample, so checks are cheap.
 */
public final class HealthServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final int THREADS = 2;
    private static final int QUEUE = 32;

    private final HealthMonitor monitor;
    private final Metrics metrics;
    private final InetSocketAddress bind;
    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private HttpServer server;
    private ThreadPoolExecutor executor;

    public HealthServer(HealthMonitor monitor, Metrics metrics, InetSocketAddress bind) {
        this.monitor = monitor;
        this.metrics = metrics;
        this.bind = bind;
    }

    public synchronized void start() throws IOException {
        HttpServer http = LocalHttp.create(bind, QUEUE);
        // Beyond the queue a check is refused rather than queued: a load balancer retries, and memory stays bounded.
        executor = new ThreadPoolExecutor(1, THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
        server = http;
    }

    public synchronized InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respondJson(exchange, 405, Map.of("error", method + " is not allowed here."));
            } else if (path.equals("/health")) {
                HealthReport r = monitor.report();
                respondJson(exchange, r.fit() ? 200 : 503, r);
            } else if (path.startsWith("/health/")) {
                String id = path.substring("/health/".length());
                Optional<FolderHealth> h = monitor.folder(id);
                if (h.isEmpty()) {
                    respondJson(exchange, 404, Map.of("error", "This node shares no folder " + id + "."));
                } else {
                    respondJson(exchange, h.get().fit() ? 200 : 503, h.get());
                }
            } else if (path.equals("/metrics")) {
                respond(exchange, 200, Metrics.contentType(), metrics.scrape().getBytes(StandardCharsets.UTF_8));
            } else {
                respondJson(exchange, 404, Map.of("error", "There is no " + path + " here (try /health or /metrics)."));
            }
        } catch (RuntimeException e) {
            log.warn("Health request failed", e);
        }
    }

    private void respondJson(HttpExchange exchange, int status, Object body) throws IOException {
        respond(exchange, status, "application/json; charset=utf-8", json.writeValueAsBytes(body));
    }

    private static void respond(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }
}
