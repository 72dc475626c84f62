package io.peersync.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * One peersync daemon running as a separate process on loopback, with its own home, ports and log file,
 * and the CLI pointed at it.
 */
public final class DaemonProcess implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofSeconds(90);
    private static final Duration STOP = Duration.ofSeconds(10);
    private static final Duration CLI_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> CLI_JVM = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");
    /** Drains CLI output; not the common pool, which has a single thread on a two-core machine. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "cli-output-reader");
        thread.setDaemon(true);
        return thread;
    });
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static final File DEV_NULL = new File("/dev/null");

    private final String name;
    private final Path dir;
    private final Path home;
    private final Path log;
    private final int listenPort = Ports.free();
    private final int apiPort = Ports.free();
    private final List<String> peers;
    /** The daemon's discovery options: off unless a test asks for it (then on a loopback broadcast address). */
    private final List<String> discovery;
    private Process process;

    private DaemonProcess(String name, Path dir, List<String> peers, List<String> discovery) throws IOException {
        this.name = name;
        this.discovery = List.copyOf(discovery);
        this.dir = Files.createDirectories(dir);
        this.home = Files.createDirectories(dir.resolve("home"));
        this.log = dir.resolve("daemon.log");
        this.peers = List.copyOf(peers);
    }

    /** Starts a daemon whose home, log and folders live under {@code dir}, and waits until its API answers. */
    public static DaemonProcess start(String name, Path dir, String... peers) throws IOException {
        DaemonProcess daemon = new DaemonProcess(name, dir, Arrays.asList(peers), List.of("--no-discovery"));
        daemon.launch();
        return daemon;
    }

    /**
     * Starts a daemon as {@link #start(String, Path, String...)} does, with more daemon options, e.g.
     * {@code --health 127.0.0.1:PORT}.
     */
    public static DaemonProcess start(String name, Path dir, List<String> options, String... peers)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("--no-discovery"));
        all.addAll(options);
        DaemonProcess daemon = new DaemonProcess(name, dir, Arrays.asList(peers), all);
        daemon.launch();
        return daemon;
    }

    /**
     * Starts a daemon with LAN discovery through {@code discoveryAddress}, which must be a loopback broadcast
     * address such as 127.255.255.255:PORT, and no static peer.
     */
    public static DaemonProcess startDiscovering(String name, Path dir, String discoveryAddress) throws IOException {
        assertTrue(discoveryAddress.startsWith("127."), "tests announce on loopback only: " + discoveryAddress);
        DaemonProcess daemon = new DaemonProcess(name, dir, List.of(), List.of("--discovery-address", discoveryAddress));
        daemon.launch();
        return daemon;
    }

    /** The runnable jar under test, from the {@code peersync.jar} system property that failsafe sets. */
    public static Path jar() {
        String property = System.getProperty("peersync.jar");
        assertTrue(property != null, "system property peersync.jar is not set (run through 'mvn verify')");
        Path jar = Path.of(property).toAbsolutePath().normalize();
        assertTrue(Files.isRegularFile(jar), "no jar at " + jar + ": build it first with 'mvn -DskipTests install'");
        return jar;
    }

    public String name() {
        return name;
    }

    public Path dir() {
        return dir;
    }

    public Path home() {
        return home;
    }

    public Path log() {
        return log;
    }

    /** The peer address other daemons use to reach this one. */
    public String listen() {
        return "127.0.0.1:" + listenPort;
    }

    public boolean running() {
        return process != null && process.isAlive();
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", jar().toString()));
        String extra = System.getProperty("peersync.it.daemonJvmArgs", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(2, List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("daemon", "--home", home.toString(), "--listen", listen(),
                "--api", "127.0.0.1:" + apiPort));
        command.addAll(discovery);
        peers.forEach(p -> command.addAll(List.of("--peer", p)));
        Files.writeString(log, "=== " + LocalTime.now() + " harness: starting " + String.join(" ", command) + "\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                .start();
        long started = System.nanoTime();
        await("daemon " + name + " answering status --json").atMost(STARTUP).pollInterval(Duration.ofMillis(300))
                .until(() -> {
                    if (!process.isAlive()) {
                        fail("daemon " + name + " exited with " + process.exitValue() + " while starting\n"
                                + logTail(40));
                    }
                    return cli("status", "--json").exitCode() == 0;
                });
        System.out.printf("[%s] daemon %s up in %d ms: listen %s, api 127.0.0.1:%d, peers %s, home %s%n",
                LocalTime.now(), name, (System.nanoTime() - started) / 1_000_000, listen(), apiPort, peers, home);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code peersync ARGS --home HOME} as a separate process. */
    public CliResult cli(String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(CLI_JVM);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of("--home", home.toString()));
        try {
            Process cli = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(cli.getInputStream()), READERS);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(cli.getErrorStream()), READERS);
            if (!cli.waitFor(CLI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                cli.destroyForcibly().waitFor();
                fail("peersync " + String.join(" ", args) + " (node " + name + ") did not finish within "
                        + CLI_TIMEOUT);
            }
            return new CliResult(List.of(args), cli.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Like {@link #cli} but fails the test unless the command exits 0. */
    public CliResult cliOk(String... args) {
        CliResult result = cli(args);
        assertEquals(0, result.exitCode(), () -> "on node " + name + ": " + result);
        return result;
    }

    /** The parsed {@code status --json}. */
    public Status status() {
        return parse(cliOk("status", "--json").stdout(), Status.class);
    }

    /** The status of one folder; fails if this node does not share it. */
    public Status.Folder folder(String id) {
        Status status = status();
        return status.folder(id).orElseThrow(() -> new AssertionError(
                "node " + name + " does not list folder " + id + " in status: " + status));
    }

    /** Any command's {@code --json} output as a tree. */
    public JsonNode json(String... args) {
        return parse(cliOk(args).stdout(), JsonNode.class);
    }

    private <T> T parse(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (IOException e) {
            throw new AssertionError("node " + name + " printed JSON that does not parse as " + type.getSimpleName()
                    + ": " + e.getMessage() + "\n" + text, e);
        }
    }

    /** SIGTERM; the contract wants exit 0 within 10 s. */
    public void stop() throws InterruptedException {
        assertTrue(running(), "daemon " + name + " is not running");
        long started = System.nanoTime();
        process.destroy();
        if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail("daemon " + name + " did not exit within " + STOP + " of SIGTERM\n" + logTail(40));
        }
        System.out.printf("[%s] daemon %s stopped on SIGTERM in %d ms, exit %d%n", LocalTime.now(), name,
                (System.nanoTime() - started) / 1_000_000, process.exitValue());
        assertEquals(0, process.exitValue(), () -> "daemon " + name + " exit code after SIGTERM\n" + logTail(40));
    }

    /** SIGKILL: no chance to clean up. */
    public void kill9() throws InterruptedException {
        assertTrue(running(), "daemon " + name + " is not running");
        process.destroyForcibly();
        assertTrue(process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS), "daemon " + name + " survived SIGKILL");
        appendToLog("harness: killed with SIGKILL");
        System.out.printf("[%s] daemon %s killed with SIGKILL%n", LocalTime.now(), name);
    }

    /** Starts the daemon again with the same home, ports and peers. */
    public void restart() throws IOException {
        assertFalse(running(), "daemon " + name + " is still running");
        launch();
    }

    /** The last lines of the daemon's log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last " + Math.min(lines, all.size()) + " lines of " + log + " ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log at " + log + ": " + e + ")";
        }
    }

    /** The log lines that contain {@code text}. */
    public List<String> logLines(String text) {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.contains(text)).toList();
        } catch (IOException e) {
            return List.of("(no log at " + log + ": " + e + ")");
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(log, "=== " + LocalTime.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Kills the daemon if a test left it running. */
    @Override
    public void close() {
        if (running()) {
            try {
                process.destroyForcibly().waitFor(STOP.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "daemon " + name + " (" + listen() + ")";
    }
}
