package io.peersync.cli;

import io.peersync.daemon.control.ControlApi;
import io.peersync.daemon.control.ControlException;
import io.peersync.daemon.control.FolderView;
import io.peersync.daemon.control.PeerView;
import io.peersync.daemon.control.StatusView;
import io.peersync.daemon.control.StatusView.FolderPeerView;
import io.peersync.daemon.control.StatusView.FolderStatusView;
import io.peersync.daemon.control.StatusView.NodeView;
import io.peersync.protocol.secret.FolderSecret;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/** A small real ControlApi keeping folders and peers in memory, standing in for the daemon behind the HTTP seam. */
final class InMemoryControlApi implements ControlApi {
    static final String NODE = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

    private final Map<String, FolderView> folders = new ConcurrentSkipListMap<>();
    private final Map<String, PeerView> peers = new ConcurrentSkipListMap<>();

    @Override
    public StatusView status() {
        List<FolderPeerView> folderPeers = peers.values().stream()
                .map(p -> new FolderPeerView(p.node(), p.address(), p.connected())).toList();
        List<FolderStatusView> views = folders.values().stream()
                .map(f -> new FolderStatusView(f.id(), f.path(), f.access(), "syncing",
                        3, 3 * 1024 * 1024, 4, 4 * 1024 * 1024, 1, 1024 * 1024, false, null, folderPeers))
                .toList();
        return new StatusView(new NodeView(NODE, "127.0.0.1:41001"), views);
    }

    @Override
    public List<FolderView> folders() {
        return List.copyOf(folders.values());
    }

    @Override
    public FolderView addFolder(String path, String secret, String preset) throws ControlException {
        FolderSecret parsed;
        try {
            parsed = FolderSecret.parse(secret);
        } catch (IllegalArgumentException e) {
            throw new ControlException("That is not a folder secret.");
        }
        FolderView view = new FolderView(parsed.folderId().toString(), path, parsed.level().jsonName());
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

    private final io.peersync.daemon.health.EventLog events = new io.peersync.daemon.health.EventLog(
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
        FolderView f = named(idOrPath);
        events.add("folderPaused", f.id(), Map.of("path", f.path()));
        return f;
    }

    @Override
    public FolderView resumeFolder(String idOrPath) throws ControlException {
        FolderView f = named(idOrPath);
        events.add("folderResumed", f.id(), Map.of("path", f.path()));
        return f;
    }

    @Override
    public io.peersync.daemon.control.RescanView rescan(String idOrPath, String path) throws ControlException {
        FolderView f = named(idOrPath);
        return new io.peersync.daemon.control.RescanView(f.id(), f.path(), path == null ? "" : path);
    }

    @Override
    public io.peersync.daemon.health.HealthReport health() {
        List<io.peersync.daemon.health.FolderHealth> list = folders.values().stream()
                .map(f -> new io.peersync.daemon.health.FolderHealth(f.id(), f.path(), false, "syncing", false, false,
                        0, "it has not completed a sync since it was opened (syncing, 1 files to pull)."))
                .toList();
        return new io.peersync.daemon.health.HealthReport(false, list.isEmpty() ? "This node shares no folder."
                : "Folder " + list.get(0).id() + ": " + list.get(0).reason(), "2026-01-01T00:00:00Z", list);
    }

    @Override
    public io.peersync.daemon.health.EventLog.Page events(long after, java.time.Duration wait)
            throws InterruptedException {
        return events.after(after, wait);
    }

    @Override
    public List<PeerView> peers() {
        return List.copyOf(peers.values());
    }

    @Override
    public PeerView addPeer(String hostPort) {
        PeerView view = new PeerView(hostPort, null, false, true, List.copyOf(folders.keySet()));
        peers.put(hostPort, view);
        return view;
    }

    /** Archived versions by folder id, then path; newest first, as the daemon answers. */
    final Map<String, Map<String, List<io.peersync.daemon.control.VersionView>>> versions = new ConcurrentHashMap<>();

    /** Records an archived version of {@code path} in folder {@code folderId}. */
    void addVersion(String folderId, String path, String archivedAt, long size) {
        List<io.peersync.daemon.control.VersionView> list = versions.computeIfAbsent(folderId, f -> new ConcurrentHashMap<>())
                .computeIfAbsent(path, p -> new java.util.concurrent.CopyOnWriteArrayList<>());
        list.add(new io.peersync.daemon.control.VersionView(path, ".peersync/archive/" + path + "~" + archivedAt, archivedAt, size));
        list.sort(java.util.Comparator.comparing(io.peersync.daemon.control.VersionView::archivedAt).reversed());
    }

    @Override
    public List<io.peersync.daemon.control.VersionView> versions(String folder, String path) throws ControlException {
        return List.copyOf(versionsOf(folder, path));
    }

    @Override
    public io.peersync.daemon.control.VersionView restore(String folder, String path, String at) throws ControlException {
        List<io.peersync.daemon.control.VersionView> list = versionsOf(folder, path);
        java.time.Instant limit = at == null ? null : io.peersync.daemon.control.VersionView.parseTime(at);
        return list.stream()
                .filter(v -> limit == null || !java.time.Instant.parse(v.archivedAt()).isAfter(limit))
                .findFirst()
                .orElseThrow(() -> new ControlException("There is no archived version of " + path
                        + (limit == null ? "" : " from " + limit + " or earlier") + "."));
    }

    private List<io.peersync.daemon.control.VersionView> versionsOf(String folder, String path) throws ControlException {
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
