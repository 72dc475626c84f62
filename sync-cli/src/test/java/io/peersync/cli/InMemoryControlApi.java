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
}
