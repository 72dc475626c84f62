package io.peersync.daemon.engine;

import io.peersync.daemon.index.FolderCounts;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.secret.AccessLevel;
import java.util.List;
import java.util.Map;

/** A snapshot of one folder for status: counts, state, member peers, and where pulled bytes came from. */
public record FolderState(FolderId id, String path, AccessLevel access, String state, FolderCounts counts,
                          boolean inSync, String error, List<Peer> peers,
                          Map<NodeId, String> rejections, long bytesFromNetwork, long bytesCopiedLocally,
                          long bytesResumed) {

    /** A peer that proved membership of this folder since the daemon started; level is null while disconnected. */
    public record Peer(NodeId node, String address, boolean connected, AccessLevel level, boolean indexComplete) {
    }
}
