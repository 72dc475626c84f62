package io.peersync.daemon.health;

import io.peersync.daemon.engine.FolderSync;
import io.peersync.daemon.net.PeerNetwork;
import java.util.Collection;
import java.util.List;

/** What the health monitor samples: the running folders, the configured ones that are not running, the peers. */
public interface HealthSources {
    Collection<FolderSync> running();

    /** Configured folders that do not run: paused by the operator, or unable to open. */
    List<Stopped> stopped();

    /** Whether this node dials or knows any peer at all; a node that knows none is whole once scanned. */
    boolean knowsPeers();

    /** Wire traffic per peer node. */
    List<PeerNetwork.PeerTraffic> traffic();

    /** A configured folder that does not run; {@code state} is "paused" or "error". */
    record Stopped(String id, String path, String state, String reason) {
    }
}
