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

    /** Changes a folder's options (hook, archive retention, owner and group); null fields stay as they are. */
    FolderSettingsView configureFolder(String idOrPath, io.peersync.daemon.config.FolderSettings changes,
                                       boolean clearHook) throws ControlException;

    List<PeerView> peers();

    PeerView addPeer(String hostPort) throws ControlException;

    /**
     * The archived versions of a file in a folder (id or path), newest first; {@code path} is folder-relative, or
     * absolute inside the folder.
     */
    List<VersionView> versions(String folder, String path) throws ControlException;

    /**
     * Puts back the newest archived version of a file from at or before {@code at} (ISO-8601 or yyyyMMdd-HHmmss,
     * UTC; null for the newest overall) as a new local change; returns the version restored.
     */
    VersionView restore(String folder, String path, String at) throws ControlException;
}
