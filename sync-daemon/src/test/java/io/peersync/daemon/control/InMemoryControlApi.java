package io.peersync.daemon.control;

import io.peersync.daemon.control.StatusView.FolderPeerView;
import io.peersync.daemon.control.StatusView.FolderStatusView;
import io.peersync.daemon.control.StatusView.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A small real ControlApi that keeps folders and peers in memory, standing in for the daemon at the HTTP seam. */
final class InMemoryControlApi implements ControlApi {
    static final String NODE = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    static final String PEER_NODE = "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

    private final Map<String, FolderView> folders = new ConcurrentHashMap<>();
    private final Map<String, PeerView> peers = new ConcurrentHashMap<>();
    volatile RuntimeException failure;

    @Override
    public StatusView status() {
        failIfAsked();
        List<FolderStatusView> views = new ArrayList<>();
        for (FolderView f : folders.values()) {
            List<FolderPeerView> folderPeers = peers.values().stream()
                    .map(p -> new FolderPeerView(p.node(), p.address(), p.connected())).toList();
            views.add(new FolderStatusView(f.id(), f.path(), f.access(), "syncing",
                    3, 300, 4, 400, 1, 100, false, null, folderPeers));
        }
        return new StatusView(new NodeView(NODE, "127.0.0.1:41001"), views);
    }

    @Override
    public List<FolderView> folders() {
        failIfAsked();
        return List.copyOf(folders.values());
    }

    @Override
    public FolderView addFolder(String path, String secret, String preset) throws ControlException {
        if (!secret.startsWith("RW")) {
            throw new ControlException("That secret is not valid.");
        }
        if (preset != null && !preset.equals("wordpress")) {
            throw new ControlException("Unknown preset " + preset + ".");
        }
        FolderView view = new FolderView("F" + secret.substring(2), path, "read-write");
        folders.put(view.id(), view);
        return view;
    }

    @Override
    public io.peersync.daemon.control.RevertView revertFolder(String idOrPath) throws ControlException {
        for (FolderView f : folders.values()) {
            if (f.id().equals(idOrPath) || f.path().equals(idOrPath)) {
                return new io.peersync.daemon.control.RevertView(f.id(), f.path(), 0);
            }
        }
        throw new ControlException("No shared folder has the id or path " + idOrPath + ".");
    }

    @Override
    public FolderView removeFolder(String idOrPath) throws ControlException {
        for (FolderView f : folders.values()) {
            if (f.id().equals(idOrPath) || f.path().equals(idOrPath)) {
                folders.remove(f.id());
                return f;
            }
        }
        throw new ControlException("No shared folder is called " + idOrPath + ".");
    }

    final io.peersync.daemon.health.EventLog events = new io.peersync.daemon.health.EventLog(
            java.time.Clock.systemUTC());

    private FolderView named(String idOrPath) throws ControlException {
        for (FolderView f : folders.values()) {
            if (f.id().equals(idOrPath) || f.path().equals(idOrPath)) {
                return f;
            }
        }
        throw new ControlException("No shared folder has the id or path " + idOrPath + ".");
    }

    @Override
    public FolderView pauseFolder(String idOrPath) throws ControlException {
        return named(idOrPath);
    }

    @Override
    public FolderView resumeFolder(String idOrPath) throws ControlException {
        return named(idOrPath);
    }

    @Override
    public RescanView rescan(String idOrPath, String path) throws ControlException {
        FolderView f = named(idOrPath);
        return new RescanView(f.id(), f.path(), path == null ? "" : path);
    }

    @Override
    public io.peersync.daemon.health.HealthReport health() {
        return new io.peersync.daemon.health.HealthReport(false, "This node shares no folder.",
                "2026-01-01T00:00:00Z", List.of());
    }

    @Override
    public io.peersync.daemon.health.EventLog.Page events(long after, java.time.Duration wait)
            throws InterruptedException {
        return events.after(after, wait);
    }

    @Override
    public List<PeerView> peers() {
        failIfAsked();
        return List.copyOf(peers.values());
    }

    @Override
    public PeerView addPeer(String hostPort) throws ControlException {
        if (!hostPort.contains(":")) {
            throw new ControlException("A peer address needs a port.");
        }
        PeerView view = new PeerView(hostPort, PEER_NODE, true, true, List.copyOf(folders.keySet()));
        peers.put(hostPort, view);
        return view;
    }

    private void failIfAsked() {
        if (failure != null) {
            throw failure;
        }
    }

    /** Archived versions by folder id, then path; newest first, as the daemon answers. */
    final Map<String, Map<String, List<VersionView>>> versions = new ConcurrentHashMap<>();

    /** Records an archived version of {@code path} in folder {@code folderId}. */
    void addVersion(String folderId, String path, String archivedAt, long size) {
        List<VersionView> list = versions.computeIfAbsent(folderId, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(path, p -> new java.util.concurrent.CopyOnWriteArrayList<>());
        list.add(new VersionView(path, ".peersync/archive/" + path + "~" + archivedAt, archivedAt, size));
        list.sort(java.util.Comparator.comparing(VersionView::archivedAt).reversed());
    }

    @Override
    public List<VersionView> versions(String folder, String path) throws ControlException {
        return List.copyOf(versionsOf(folder, path));
    }

    @Override
    public VersionView restore(String folder, String path, String at) throws ControlException {
        List<VersionView> list = versionsOf(folder, path);
        java.time.Instant limit = at == null ? null : VersionView.parseTime(at);
        return list.stream()
                .filter(v -> limit == null || !java.time.Instant.parse(v.archivedAt()).isAfter(limit))
                .findFirst()
                .orElseThrow(() -> new ControlException("There is no archived version of " + path
                        + (limit == null ? "" : " from " + limit + " or earlier") + "."));
    }

    private List<VersionView> versionsOf(String folder, String path) throws ControlException {
        for (FolderView f : folders.values()) {
            if (f.id().equals(folder) || f.path().equals(folder)) {
                String relative = path.startsWith(f.path() + "/") ? path.substring(f.path().length() + 1) : path;
                return versions.getOrDefault(f.id(), Map.of()).getOrDefault(relative, List.of());
            }
        }
        throw new ControlException("No running shared folder has the id or path " + folder + ".");
    }

    @Override
    public io.peersync.daemon.control.FolderSettingsView configureFolder(String idOrPath,
            io.peersync.daemon.config.FolderSettings changes, boolean clearHook) throws ControlException {
        for (FolderView f : folders.values()) {
            if (f.id().equals(idOrPath) || f.path().equals(idOrPath)) {
                io.peersync.daemon.config.ArchivePolicy p = changes.archivePolicy();
                return new io.peersync.daemon.control.FolderSettingsView(f.id(), f.path(),
                        clearHook ? null : changes.hook(), p.keepVersions(), (int) p.maxAge().toDays(),
                        changes.owner(), changes.group(), changes.minFreeOrDefault().toString());
            }
        }
        throw new ControlException("No shared folder has the id or path " + idOrPath + ".");
    }
}
