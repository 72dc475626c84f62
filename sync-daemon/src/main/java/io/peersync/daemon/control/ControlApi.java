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

    /** Stops syncing a folder until resumed, across restarts too; files stay as they are. */
    FolderView pauseFolder(String idOrPath) throws ControlException;

    /** Syncs a paused folder again. */
    FolderView resumeFolder(String idOrPath) throws ControlException;

    /** Scans a folder now, all of it or one file or directory ({@code path} null or empty for all). */
    RescanView rescan(String idOrPath, String path) throws ControlException;

    /** Whether each folder is fit to serve, as {@code /health} says. */
    io.peersync.daemon.health.HealthReport health();

    /** Events numbered above {@code after}, waiting up to {@code wait} for the first. */
    io.peersync.daemon.health.EventLog.Page events(long after, java.time.Duration wait) throws InterruptedException;

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
