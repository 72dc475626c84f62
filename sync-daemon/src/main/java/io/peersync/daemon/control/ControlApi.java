package io.peersync.daemon.control;

import java.util.List;

/** What the local control API can ask of the running daemon. The HTTP layer only translates. */
public interface ControlApi {

    StatusView status();

    List<FolderView> folders();

    /** Shares {@code path} (created if missing) under {@code secret}; preset may be null. */
    FolderView addFolder(String path, String secret, String preset) throws ControlException;

    /** Stops sharing a folder named by id or path; never deletes files. */
    FolderView removeFolder(String idOrPath) throws ControlException;

    /** Read-only folders: restores every locally changed file to the folder's signed global state. */
    RevertView revertFolder(String idOrPath) throws ControlException;

    List<PeerView> peers();

    PeerView addPeer(String hostPort) throws ControlException;
}
