package io.peersync.daemon.lifecycle;

import io.peersync.daemon.config.ConfigStore;
import io.peersync.daemon.config.DaemonConfig.FolderConfig;
import io.peersync.daemon.control.ControlServer;
import io.peersync.daemon.engine.FolderSync;
import io.peersync.daemon.engine.SyncEngine;
import io.peersync.daemon.health.EventLog;
import io.peersync.daemon.health.HealthMonitor;
import io.peersync.daemon.health.HealthServer;
import io.peersync.daemon.health.HealthSources;
import io.peersync.daemon.health.Metrics;
import io.peersync.daemon.index.IndexStore;
import io.peersync.daemon.index.rocks.RocksIndexStore;
import io.peersync.daemon.net.LanDiscovery;
import io.peersync.daemon.net.PeerNetwork;
import io.peersync.daemon.net.TlsContexts;
import io.peersync.protocol.secret.NodeIdentity;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running peersync node: identity, index, engine, peer network and control API, started and stopped in order. */
public final class Daemon implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final DaemonOptions options;
    private final NodeIdentity identity;
    private final IndexStore index;
    private final ConfigStore config;
    private final ExecutorService io;
    private final ExecutorService hashers;
    private final ScheduledExecutorService timers;
    private final SyncEngine engine;
    private final Folders folders;
    private PeerNetwork network;
    private LanDiscovery discovery;
    private ControlServer control;
    private final EventLog events = new EventLog(Clock.systemUTC());
    private HealthMonitor health;
    private Metrics metrics;
    private HealthServer healthServer;

    private Daemon(DaemonOptions options) throws IOException {
        this.options = options;
        Path home = options.home();
        Files.createDirectories(home);
        restrict(home);
        this.identity = NodeIdentity.loadOrCreate(home);
        this.config = ConfigStore.open(home);
        this.index = RocksIndexStore.open(home.resolve("index"));
        this.io = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1024), threads("io"));
        this.hashers = Executors.newFixedThreadPool(2, threads("hash"));
        this.timers = Executors.newSingleThreadScheduledExecutor(threads("timer"));
        this.engine = new SyncEngine(identity.nodeId());
        this.folders = new Folders(engine, index, config, identity.nodeId(), io, hashers, Clock.systemUTC());
    }

    /** Runs a daemon in the foreground until SIGTERM or SIGINT; returns the process exit code. */
    public static int run(DaemonOptions options) {
        Daemon daemon;
        try {
            daemon = new Daemon(options);
            daemon.start();
        } catch (BindException e) {
            log.error("Cannot listen: an address is already in use ({}).", e.getMessage());
            return 1;
        } catch (Exception e) {
            log.error("The daemon could not start.", e);
            return 1;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTermination(stop::countDown);
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("Stopping");
        daemon.close();
        log.info("Stopped");
        return 0;
    }

    private void start() throws IOException, InterruptedException {
        TlsContexts tls = new TlsContexts(identity);
        log.info("TLS 1.3 by {}", tls.implementation());
        network = new PeerNetwork(identity.nodeId(), tls, options.listen(), engine);
        network.start();
        engine.onPeerAddresses(network::learn);
        log.info("Node {} ({}), home {}", identity.nodeId().shortForm(), identity.nodeId(), options.home());
        for (FolderConfig f : config.get().folders()) {
            folders.open(f);
        }
        timers.scheduleWithFixedDelay(folders::retryBroken, 30, 30, TimeUnit.SECONDS);
        config.get().peers().forEach(p -> network.addPeer(p, true));
        options.peers().forEach(p -> network.addPeer(PeerNetwork.hostPort(p.getHostString(), p.getPort()), true));
        if (options.discovery() != null) {
            startDiscovery();
        }
        health = new HealthMonitor(healthSources(), options.healthGrace(), events, Clock.systemUTC());
        metrics = new Metrics(health);
        health.start();
        control = new ControlServer(new DaemonControl(identity.nodeId(), network, folders, config, engine, health,
                events), options.api(), options.home());
        control.start();
        InetSocketAddress api = control.address();
        log.info("Control API on {}:{}", api.getHostString(), api.getPort());
        if (options.health() != null) {
            healthServer = new HealthServer(health, metrics, options.health());
            healthServer.start();
            InetSocketAddress h = healthServer.address();
            log.info("Health and metrics on http://{}:{}/health and /metrics", h.getHostString(), h.getPort());
        }
    }

    private HealthSources healthSources() {
        return new HealthSources() {
            @Override
            public java.util.Collection<FolderSync> running() {
                return engine.folders();
            }

            @Override
            public List<Stopped> stopped() {
                List<Stopped> out = new ArrayList<>();
                folders.broken().values().forEach(b -> out.add(new Stopped(b.config().id(), b.config().path(),
                        "error", b.error())));
                folders.paused().values().forEach(p -> out.add(new Stopped(p.id(), p.path(), "paused",
                        "it is paused.")));
                return out;
            }

            @Override
            public boolean knowsPeers() {
                // With LAN discovery on, peers may appear at any time: only a node that can know none is whole alone.
                return discovery != null || !network.knownPeers().isEmpty() || !config.get().peers().isEmpty();
            }

            @Override
            public List<PeerNetwork.PeerTraffic> traffic() {
                return network.traffic();
            }
        };
    }

    /** LAN discovery is a convenience: if its port cannot be had, the daemon runs on without it. */
    private void startDiscovery() throws InterruptedException {
        LanDiscovery lan = new LanDiscovery(identity.nodeId(), network.listenPort(), options.discovery(),
                engine::secrets, network::discovered);
        try {
            lan.start();
        } catch (InterruptedException e) {
            lan.close();
            throw e;
        } catch (Exception e) {
            log.warn("LAN discovery is off: cannot use UDP port {} ({})", options.discovery().getPort(), e.toString());
            lan.close();
            return;
        }
        discovery = lan;
        engine.onFolderAdded(lan::announce);
    }

    private static void restrict(Path home) {
        try {
            Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Cannot restrict permissions of {}: {}", home, e.getMessage());
        }
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Stops in reverse order of start: API, network, folders, executors, then the index last. */
    @Override
    public void close() {
        try {
            if (healthServer != null) {
                healthServer.close();
            }
            if (control != null) {
                control.close();
            }
            if (health != null) {
                health.close();
                metrics.close();
            }
            if (discovery != null) {
                discovery.close();
            }
            if (network != null) {
                network.close();
            }
            engine.close();
            timers.shutdownNow();
            for (ExecutorService e : new ExecutorService[] {io, hashers}) {
                e.shutdown();
            }
            for (ExecutorService e : new ExecutorService[] {io, hashers}) {
                try {
                    if (!e.awaitTermination(3, TimeUnit.SECONDS)) {
                        e.shutdownNow();
                    }
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            // Whatever failed above, the index is closed: RocksDB flushes and releases its lock.
            index.close();
        }
    }
}
