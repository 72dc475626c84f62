package io.peersync.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy (Debian's haproxy) in front of web nodes on loopback, checking each node's peersync
 * {@code /health} as the README tells operators to: {@code option httpchk GET /health}, {@code check port}. Every
 * answer names its node in {@code X-Served-By}; the stats page tells which servers are up.
 */
final class HaProxy implements AutoCloseable {
    /** One backend server: its name, the web port it serves on, and its peersync health port. */
    record Server(String name, int webPort, int healthPort) {
    }

    private final int port;
    private final int statsPort;
    private final Process process;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private HaProxy(int port, int statsPort, Process process) {
        this.port = port;
        this.statsPort = statsPort;
        this.process = process;
    }

    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/haproxy"));
    }

    /** Writes {@code dir/haproxy.cfg} for these servers, starts HAProxy in the foreground, waits for its stats. */
    static HaProxy start(Path dir, List<Server> servers) throws IOException, InterruptedException {
        int port = Ports.free();
        int statsPort = Ports.free();
        Path config = Files.createDirectories(dir).resolve("haproxy.cfg");
        Files.writeString(config, config(port, statsPort, servers));
        Exec.ok(Duration.ofSeconds(30), "/usr/sbin/haproxy", "-c", "-f", config.toString());
        Process p = new ProcessBuilder("/usr/sbin/haproxy", "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        HaProxy h = new HaProxy(port, statsPort, p);
        await("HAProxy stats answer").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> !h.states().isEmpty());
        return h;
    }

    /** The backend as an operator would write it (README, "HAProxy"), with a stats listener for the test. */
    static String config(int port, int statsPort, List<Server> servers) {
        StringBuilder s = new StringBuilder("""
                global
                    maxconn 256

                defaults
                    mode http
                    timeout connect 2s
                    timeout client 60s
                    timeout server 60s

                frontend web
                    bind 127.0.0.1:%d
                    default_backend wordpress

                backend wordpress
                    balance roundrobin
                    option httpchk GET /health
                    http-check expect status 200
                    default-server inter 500ms fall 2 rise 2
                    http-response set-header X-Served-By %%[srv_name]
                """.formatted(port));
        for (Server server : servers) {
            s.append("    server ").append(server.name()).append(" 127.0.0.1:").append(server.webPort())
                    .append(" check port ").append(server.healthPort()).append('\n');
        }
        s.append("""

                listen stats
                    bind 127.0.0.1:%d
                    stats enable
                    stats uri /stats
                """.formatted(statsPort));
        return s.toString();
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The state HAProxy gives each server of the backend now (UP, DOWN, "UP 1/2", ...), by server name. */
    Map<String, String> states() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort
                + "/stats;csv")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        List<String> lines = r.body().lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(",", -1));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        Map<String, String> out = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            if (f.length > status && f[px].equals("wordpress") && !f[sv].equals("BACKEND")) {
                out.put(f[sv], f[status]);
            }
        }
        return out;
    }

    @Override
    public void close() {
        Exec.stop(process);
    }
}
