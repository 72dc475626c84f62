package io.peersync.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * One web node of a WordPress site: Debian's WordPress core (hard-linked from /usr/share/wordpress, so each node
 * has its own ABSPATH and wp-config.php), a wp-content directory of its own (the shared folder), the database of a
 * {@link MariaDb}, and PHP's built-in server on a loopback port. {@link #driver} runs WordPress's own admin code
 * (the installer, {@code Plugin_Upgrader}) from PHP's command line against this node.
 */
final class WordPressSite implements AutoCloseable {
    static final Path CORE = Path.of("/usr/share/wordpress");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path docroot;
    private final Path content;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<Process> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WordPressSite(Path docroot, Path content, int port) {
        this.docroot = docroot;
        this.content = content;
        this.port = port;
    }

    /** True when Debian's wordpress and php-cli (with mysqli) are installed. */
    static boolean available() throws IOException, InterruptedException {
        return Files.isRegularFile(CORE.resolve("wp-settings.php")) && Files.isExecutable(Path.of("/usr/bin/php"))
                && Exec.run(Duration.ofSeconds(30), "php", "-r", "exit(extension_loaded('mysqli') ? 0 : 1);")
                .exitCode() == 0;
    }

    /** A node whose core is under {@code dir/www} and whose wp-content is {@code content} (created empty). */
    static WordPressSite create(Path dir, Path content, MariaDb db) throws IOException, InterruptedException {
        Path docroot = Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(content);
        try (Stream<Path> entries = Files.list(CORE)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!List.of("wp-config.php", "wp-content", ".htaccess").contains(name)) {
                    Exec.ok(Duration.ofMinutes(2), "cp", "-al", entry.toString(), docroot.toString());
                }
            }
        }
        WordPressSite site = new WordPressSite(docroot, content, Ports.free());
        Files.writeString(docroot.resolve("wp-config.php"), """
                <?php
                define('DB_NAME', '%s');
                define('DB_USER', '%s');
                define('DB_PASSWORD', '%s');
                define('DB_HOST', '%s');
                define('DB_CHARSET', 'utf8mb4');
                define('DB_COLLATE', '');
                $table_prefix = 'wp_';
                define('WP_HOME', '%s');
                define('WP_SITEURL', '%s');
                define('WP_CONTENT_DIR', '%s');
                define('FS_METHOD', 'direct');
                define('DISABLE_WP_CRON', true);
                define('AUTOMATIC_UPDATER_DISABLED', true);
                define('WP_HTTP_BLOCK_EXTERNAL', true);
                if (!defined('ABSPATH')) {
                    define('ABSPATH', __DIR__ . '/');
                }
                require_once ABSPATH . 'wp-settings.php';
                """.formatted(MariaDb.DATABASE, MariaDb.USER, MariaDb.PASSWORD, db.host(), site.url(), site.url(),
                content.toAbsolutePath()));
        copyResource("reader.php", docroot.resolve("reader.php"));
        copyResource("opcache-reset.php", docroot.resolve("opcache-reset.php"));
        return site;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path content() {
        return content;
    }

    /** Runs {@code wp-driver.php} (see there) against this node; returns its JSON answer, or throws. */
    JsonNode driver(String... args) throws IOException, InterruptedException {
        Path script = docroot.getParent().resolve("wp-driver.php");
        if (!Files.exists(script)) {
            copyResource("wp-driver.php", script);
        }
        String[] command = Stream.concat(Stream.of("php", "-d", "memory_limit=512M", script.toString(),
                docroot.toString()), Stream.of(args)).toArray(String[]::new);
        Exec.Result r = Exec.run(Duration.ofMinutes(5), command);
        String out = r.output().strip();
        String last = out.substring(out.lastIndexOf('\n') + 1);
        if (r.exitCode() != 0 || !last.startsWith("{")) {
            throw new IllegalStateException("wp-driver " + String.join(" ", args) + ": " + r);
        }
        return JSON.readTree(last);
    }

    /**
     * Starts one more PHP built-in web server for this node, on a port of its own; returns its base URL. Without
     * opcache every request reads the files as they are; with {@code productionOpcache}, as production runs PHP,
     * opcache keeps every compiled script and never looks at the files again ({@code validate_timestamps=0}) until
     * {@code /opcache-reset.php} is requested.
     */
    String serve(Path log, boolean productionOpcache) throws IOException {
        int serverPort = servers.isEmpty() ? port : Ports.free();
        List<String> command = new java.util.ArrayList<>(List.of("php"));
        if (productionOpcache) {
            command.addAll(List.of("-d", "opcache.enable=1", "-d", "opcache.enable_cli=1",
                    "-d", "opcache.validate_timestamps=0", "-d", "opcache.max_accelerated_files=20000"));
        } else {
            command.addAll(List.of("-d", "opcache.enable=0", "-d", "opcache.enable_cli=0"));
        }
        command.addAll(List.of("-S", "127.0.0.1:" + serverPort, "-t", docroot.toString()));
        servers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start());
        String base = "http://127.0.0.1:" + serverPort;
        await("PHP serves " + base).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> get(base, "/opcache-reset.php").statusCode() == 200);
        return base;
    }

    HttpResponse<String> get(String base, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void copyResource(String name, Path to) throws IOException {
        try (InputStream in = WordPressSite.class.getResourceAsStream("/wordpress/" + name)) {
            if (in == null) {
                throw new IOException("test resource /wordpress/" + name + " missing");
            }
            Files.write(to, in.readAllBytes());
        }
    }

    @Override
    public void close() {
        servers.forEach(Exec::stop);
    }

    @Override
    public String toString() {
        return "WordPress node " + url() + " (" + docroot + ")";
    }
}
