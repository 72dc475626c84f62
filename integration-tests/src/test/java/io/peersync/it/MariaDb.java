package io.peersync.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A private MariaDB server for one test class, from Debian's {@code mariadb-server}: its own data directory, a
 * socket under /tmp (socket paths are short), TCP on 127.0.0.1 only, and a database {@code wp} with a user
 * {@code wp}/{@code wp} for WordPress. Stopped by {@link #close}.
 */
final class MariaDb implements AutoCloseable {
    static final String DATABASE = "wp";
    static final String USER = "wp";
    static final String PASSWORD = "wp";

    private final Path socketDir;
    private final Path socket;
    private final int port;
    private final Process server;

    private MariaDb(Path dataDir, Path socketDir, int port, Path log) throws IOException {
        this.socketDir = socketDir;
        this.socket = socketDir.resolve("mysqld.sock");
        this.port = port;
        this.server = new ProcessBuilder("mariadbd", "--no-defaults", "--datadir=" + dataDir, "--socket=" + socket,
                "--port=" + port, "--bind-address=127.0.0.1", "--user=root", "--skip-name-resolve",
                "--innodb-buffer-pool-size=64M", "--innodb-log-file-size=16M", "--pid-file=" + socketDir.resolve("pid"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** True when the binaries this needs are installed. */
    static boolean available() {
        return Files.isExecutable(Path.of("/usr/sbin/mariadbd")) && Files.isExecutable(Path.of("/usr/bin/mariadb"))
                && Files.isExecutable(Path.of("/usr/bin/mariadb-install-db"));
    }

    static MariaDb start(Path dir) throws IOException, InterruptedException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path socketDir = Files.createTempDirectory(Path.of("/tmp"), "peersync-mariadb-");
        Exec.ok(Duration.ofMinutes(3), "mariadb-install-db", "--no-defaults", "--datadir=" + data, "--user=root",
                "--auth-root-authentication-method=socket", "--skip-test-db");
        MariaDb db = new MariaDb(data, socketDir, Ports.free(), dir.resolve("mariadbd.log"));
        try {
            await("MariaDB accepts connections").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> db.sql("SELECT 1").exitCode() == 0);
            db.sqlOk("CREATE DATABASE " + DATABASE + "; CREATE USER '" + USER + "'@'127.0.0.1' IDENTIFIED BY '"
                    + PASSWORD + "'; GRANT ALL ON " + DATABASE + ".* TO '" + USER + "'@'127.0.0.1';");
            return db;
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
    }

    /** host:port for WordPress's DB_HOST. */
    String host() {
        return "127.0.0.1:" + port;
    }

    private Exec.Result sql(String statements) throws IOException, InterruptedException {
        return Exec.run(Duration.ofSeconds(30), "mariadb", "--no-defaults", "--socket=" + socket, "-uroot", "-e",
                statements);
    }

    private void sqlOk(String statements) throws IOException, InterruptedException {
        Exec.Result r = sql(statements);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("mariadb: " + r);
        }
    }

    @Override
    public void close() {
        Exec.stop(server);
        Workspace.deleteRecursively(socketDir);
    }

    @Override
    public String toString() {
        return "MariaDB on " + host();
    }
}
