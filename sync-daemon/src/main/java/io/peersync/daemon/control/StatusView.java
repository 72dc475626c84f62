package io.peersync.daemon.control;

import java.util.List;

/** The body of {@code GET /v1/status}, field for field the contract's {@code status --json}. */
public record StatusView(NodeView node, List<FolderStatusView> folders) {

    /** This node. */
    public record NodeView(String id, String listen) {
    }

    /**
     * One folder's sync state. {@code state} is idle, scanning, syncing or error. Beyond the contract:
     * {@code localChanges} and {@code localChangedPaths} (read-only folders: edits that stay on this node),
     * and where pulled bytes came from since the daemon started.
     */
    public record FolderStatusView(String id, String path, String access, String state,
                                   long localFiles, long localBytes, long globalFiles, long globalBytes,
                                   long needFiles, long needBytes, boolean inSync, String error,
                                   List<FolderPeerView> peers, int localChanges, List<String> localChangedPaths,
                                   long bytesReceived, long bytesCopiedLocally, long bytesResumed) {

        /** A folder with no local changes and no pull counters yet. */
        public FolderStatusView(String id, String path, String access, String state,
                                long localFiles, long localBytes, long globalFiles, long globalBytes,
                                long needFiles, long needBytes, boolean inSync, String error,
                                List<FolderPeerView> peers) {
            this(id, path, access, state, localFiles, localBytes, globalFiles, globalBytes, needFiles, needBytes,
                    inSync, error, peers, 0, List.of(), 0, 0, 0);
        }
    }

    /** A peer that shares the folder. */
    public record FolderPeerView(String node, String address, boolean connected) {
    }
}
