package io.peersync.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * A fresh directory under {@code peersync.workdir} for one test class and the daemons started in it: on a
 * failure it prints each daemon's status and log tail and keeps the directory; after success it deletes it.
 */
public final class Workspace implements BeforeAllCallback, AfterAllCallback, TestWatcher {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    private static final int LOG_TAIL_LINES = 60;

    private final List<DaemonProcess> daemons = new CopyOnWriteArrayList<>();
    private Path dir;
    private volatile boolean failed;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        Path root = Path.of(System.getProperty("peersync.workdir", "target/it-work")).toAbsolutePath();
        dir = Files.createDirectories(root.resolve(
                context.getRequiredTestClass().getSimpleName() + "-" + LocalDateTime.now().format(STAMP)));
        System.out.println("work dir: " + dir);
    }

    public Path dir() {
        return dir;
    }

    /** A path inside the work dir. */
    public Path path(String relative) {
        return dir.resolve(relative);
    }

    /** Starts a daemon in {@code <workdir>/<name>}, peered to {@code peers}; stopped at the latest after all tests. */
    public DaemonProcess start(String name, String... peers) throws IOException {
        DaemonProcess daemon = DaemonProcess.start(name, dir.resolve(name), peers);
        daemons.add(daemon);
        return daemon;
    }

    /** Starts a daemon as {@link #start(String, String...)} does, with more daemon options. */
    public DaemonProcess start(String name, List<String> options, String... peers) throws IOException {
        DaemonProcess daemon = DaemonProcess.start(name, dir.resolve(name), options, peers);
        daemons.add(daemon);
        return daemon;
    }

    /** Starts a daemon without static peers that finds its peers by LAN discovery through {@code discoveryAddress}. */
    public DaemonProcess startDiscovering(String name, String discoveryAddress) throws IOException {
        DaemonProcess daemon = DaemonProcess.startDiscovering(name, dir.resolve(name), discoveryAddress);
        daemons.add(daemon);
        return daemon;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        failed = true;
        dumpDiagnostics(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Optional<Throwable> classFailure = context.getExecutionException();
        if (classFailure.isPresent() && !failed) {
            failed = true;
            dumpDiagnostics(context.getDisplayName());
        }
        for (DaemonProcess daemon : daemons) {
            daemon.close();
        }
        if (failed) {
            System.out.println("kept work dir after a failure: " + dir);
        } else {
            deleteRecursively(dir);
        }
    }

    private void dumpDiagnostics(String test) {
        StringBuilder out = new StringBuilder("\n===== diagnostics after failure of " + test + " =====\n");
        for (DaemonProcess daemon : daemons) {
            out.append("----- ").append(daemon).append(daemon.running() ? ", running" : ", not running").append('\n');
            if (daemon.running()) {
                CliResult status = daemon.cli("status", "--json");
                out.append(status.exitCode() == 0 ? status.stdout().strip() : status.toString()).append('\n');
            }
            out.append(daemon.logTail(LOG_TAIL_LINES)).append('\n');
        }
        System.out.println(out);
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
