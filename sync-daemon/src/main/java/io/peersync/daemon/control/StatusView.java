package io.peersync.daemon.control;

import java.util.List;

/** The body of {@code GET /v1/status}, field for field the contract's {@code status --json}. */
public record StatusView(NodeView node, List<FolderStatusView> folders) {

    /** This node. */
    public record NodeView(String id, String listen) {
    }

    /** One folder's sync state. {@code state} is idle, scanning, syncing or error. */
    public record FolderStatusView(String id, String path, String access, String state,
                                   long localFiles, long localBytes, long globalFiles, long globalBytes,
                                   long needFiles, long needBytes, boolean inSync, String error,
                                   List<FolderPeerView> peers) {
    }

    /** A peer that shares the folder. */
    public record FolderPeerView(String node, String address, boolean connected) {
    }
}
