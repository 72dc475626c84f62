package io.peersync.daemon.lifecycle;

import io.peersync.daemon.config.ConfigStore;
import io.peersync.daemon.config.DaemonConfig.FolderConfig;
import io.peersync.daemon.control.ControlApi;
import io.peersync.daemon.control.ControlException;
import io.peersync.daemon.control.FolderView;
import io.peersync.daemon.control.PeerView;
import io.peersync.daemon.control.RescanView;
import io.peersync.daemon.health.EventLog;
import io.peersync.daemon.health.HealthMonitor;
import io.peersync.daemon.health.HealthReport;
import io.peersync.daemon.control.StatusView;
import io.peersync.daemon.control.StatusView.FolderPeerView;
import io.peersync.daemon.control.StatusView.FolderStatusView;
import io.peersync.daemon.engine.FolderState;
import io.peersync.daemon.engine.FolderSync;
import io.peersync.daemon.net.PeerNetwork;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.AccessLevel;
import io.peersync.protocol.secret.FolderSecret;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The daemon's answers to the control API. */
final class DaemonControl implements ControlApi {
    private final NodeId self;
    private final PeerNetwork network;
    private final Folders folders;
    private final ConfigStore config;
    private final io.peersync.daemon.engine.SyncEngine engine;
    private final HealthMonitor health;
    private final EventLog events;

    DaemonControl(NodeId self, PeerNetwork network, Folders folders, ConfigStore config,
                  io.peersync.daemon.engine.SyncEngine engine, HealthMonitor health, EventLog events) {
        this.health = health;
        this.events = events;
        this.self = self;
        this.network = network;
        this.folders = folders;
        this.config = config;
        this.engine = engine;
    }

    @Override
    public StatusView status() {
        List<FolderStatusView> out = new ArrayList<>();
        for (FolderSync f : engine.folders()) {
            FolderState s = f.state();
            List<FolderPeerView> peers = s.peers().stream()
                    .map(p -> new FolderPeerView(p.node().toString(), p.address(), p.connected())).toList();
            out.add(new FolderStatusView(s.id().value(), s.path(), s.access().jsonName(), s.state(),
                    s.counts().localFiles(), s.counts().localBytes(), s.counts().globalFiles(),
                    s.counts().globalBytes(), s.counts().needFiles(), s.counts().needBytes(), s.inSync(), s.error(),
                    peers, f.localChangeCount(), f.localChanges(50), s.bytesFromNetwork(), s.bytesCopiedLocally(),
                    s.bytesResumed()));
        }
        for (Folders.Broken b : folders.broken().values()) {
            out.add(new FolderStatusView(b.config().id(), b.config().path(), access(b.config()), "error",
                    0, 0, 0, 0, 0, 0, false, b.error(), List.of()));
        }
        for (FolderConfig p : folders.paused().values()) {
            out.add(new FolderStatusView(p.id(), p.path(), access(p), "paused", 0, 0, 0, 0, 0, 0, false, null,
                    List.of()));
        }
        out.sort(Comparator.comparing(FolderStatusView::path));
        String listen = PeerNetwork.hostPort(listenHost(), network.listenPort());
        return new StatusView(new StatusView.NodeView(self.toString(), listen), out);
    }

    private String listenHost() {
        return network.listenHost();
    }

    private static String access(FolderConfig f) {
        try {
            return FolderSecret.parse(f.secret()).level().jsonName();
        } catch (RuntimeException e) {
            return AccessLevel.READ_WRITE.jsonName();
        }
    }

    @Override
    public List<FolderView> folders() {
        List<FolderView> out = new ArrayList<>();
        for (FolderConfig f : config.get().folders()) {
            out.add(new FolderView(f.id(), f.path(), access(f)));
        }
        return out;
    }

    @Override
    public FolderView addFolder(String path, String secret, String preset) throws ControlException {
        if (path == null || path.isBlank()) {
            throw new ControlException("A folder path is required.");
        }
        if (secret == null || secret.isBlank()) {
            throw new ControlException("A secret is required (make one with: peersync secret new).");
        }
        FolderSync f = folders.add(path, secret.trim(), preset);
        return new FolderView(f.id().value(), f.root().toString(), f.access().jsonName());
    }

    @Override
    public FolderView removeFolder(String idOrPath) throws ControlException {
        FolderConfig f = folders.remove(idOrPath);
        return new FolderView(f.id(), f.path(), access(f));
    }

    @Override
    public io.peersync.daemon.control.RevertView revertFolder(String idOrPath) throws ControlException {
        FolderSync f = folders.find(idOrPath);
        if (f.access() != AccessLevel.READ_ONLY) {
            throw new ControlException("Only read-only folders have local changes to revert; " + f.id() + " is "
                    + f.access().jsonName() + ".");
        }
        try {
            return new io.peersync.daemon.control.RevertView(f.id().value(), f.root().toString(), f.revert());
        } catch (java.io.IOException e) {
            throw new ControlException("Could not revert " + f.root() + ": " + e.getMessage() + ".");
        }
    }

    @Override
    public io.peersync.daemon.control.FolderSettingsView configureFolder(String idOrPath,
            io.peersync.daemon.config.FolderSettings changes, boolean clearHook) throws ControlException {
        return folders.configure(idOrPath, changes, clearHook);
    }

    @Override
    public FolderView pauseFolder(String idOrPath) throws ControlException {
        FolderConfig f = folders.pause(idOrPath);
        events.add("folderPaused", f.id(), java.util.Map.of("path", f.path()));
        return new FolderView(f.id(), f.path(), access(f));
    }

    @Override
    public FolderView resumeFolder(String idOrPath) throws ControlException {
        FolderConfig f = folders.resume(idOrPath);
        events.add("folderResumed", f.id(), java.util.Map.of("path", f.path()));
        return new FolderView(f.id(), f.path(), access(f));
    }

    @Override
    public RescanView rescan(String idOrPath, String path) throws ControlException {
        FolderSync f = folders.find(idOrPath);
        String subtree = path == null || path.isBlank() ? "" : ArchiveRequests.relativePath(f.root(), path.trim());
        f.requestScan(subtree);
        return new RescanView(f.id().value(), f.root().toString(), subtree);
    }

    @Override
    public HealthReport health() {
        return health.report();
    }

    @Override
    public EventLog.Page events(long after, java.time.Duration wait) throws InterruptedException {
        return events.after(after, wait);
    }

    @Override
    public List<PeerView> peers() {
        List<PeerView> out = new ArrayList<>();
        for (PeerNetwork.KnownPeer p : network.knownPeers()) {
            List<String> shared = new ArrayList<>();
            if (p.node() != null) {
                for (FolderSync f : engine.folders()) {
                    if (f.state().peers().stream().anyMatch(m -> m.node().equals(p.node()) && m.connected())) {
                        shared.add(f.id().value());
                    }
                }
            }
            out.add(new PeerView(p.address(), p.node() == null ? null : p.node().toString(), p.connected(),
                    p.isStatic(), shared));
        }
        out.sort(Comparator.comparing(PeerView::address));
        return out;
    }

    @Override
    public PeerView addPeer(String hostPort) throws ControlException {
        if (hostPort == null || PeerNetwork.parse(hostPort.trim()).isEmpty()) {
            throw new ControlException("Not a peer address: " + hostPort + " (expected HOST:PORT).");
        }
        String address = hostPort.trim();
        config.update(c -> c.withPeer(address));
        network.addPeer(address, true);
        return new PeerView(address, null, false, true, List.of());
    }

    @Override
    public List<io.peersync.daemon.control.VersionView> versions(String folder, String path) throws ControlException {
        FolderSync f = folders.find(folder);
        String relative = ArchiveRequests.relativePath(f.root(), path);
        try {
            return f.archive().list(relative).stream().map(v -> ArchiveRequests.view(relative, v)).toList();
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new ControlException("Could not list the archived versions of " + relative + ": " + e.getMessage()
                    + ".");
        }
    }

    @Override
    public io.peersync.daemon.control.VersionView restore(String folder, String path, String at)
            throws ControlException {
        FolderSync f = folders.find(folder);
        if (f.access() == AccessLevel.ENCRYPTED) {
            throw new ControlException("An encrypted folder holds only ciphertext; restore files on a node with the "
                    + "read-write or read-only secret.");
        }
        String relative = ArchiveRequests.relativePath(f.root(), path);
        java.util.Optional<java.time.Instant> when = ArchiveRequests.time(at);
        try {
            io.peersync.daemon.control.VersionView restored =
                    ArchiveRequests.view(relative, f.archive().restore(relative, when));
            f.requestScan(relative); // picked up now rather than at the watcher's or the periodic rescan's pace
            return restored;
        } catch (IllegalArgumentException e) {
            throw new ControlException(e.getMessage());
        } catch (java.io.IOException e) {
            throw new ControlException("Could not restore " + relative + ": " + e.getMessage() + ".");
        }
    }
}
