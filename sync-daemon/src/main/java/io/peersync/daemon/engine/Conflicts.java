package io.peersync.daemon.engine;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.Winner;
import java.util.Optional;

/**
 * How a resolved conflict stays resolved: the version a node keeps after a conflict descends from both sides, so a
 * losing record replayed later (by a member that kept it, an encrypted node say) is dominated and changes nothing.
 * Only the node whose own version lost resolves (it keeps the loser as a conflict copy first): were the winner to
 * take the loser into its history instead, the loser's node would see a newer version, not a conflict, and its edit
 * would be replaced without a copy. Nodes that resolve the same conflict compute the same merged version, without
 * incrementing their own counter, so their records are identical and converge.
 */
final class Conflicts {
    private Conflicts() {
    }

    /** True when {@code local} lost to {@code winner}: concurrent versions, or one version of two contents. */
    static boolean lost(FileRecord local, FileRecord winner) {
        return local.version().compare(winner.version()) == VersionVector.Order.CONCURRENT
                || Winner.reissued(local, winner);
    }

    /**
     * The version to store when {@code winner} replaces {@code local}: merged with the local one when they were
     * concurrent, so the loser is part of the winner's history; the winner's own otherwise.
     */
    static VersionVector adopted(FileRecord winner, Optional<FileRecord> local) {
        if (local.isPresent() && local.get().version().compare(winner.version()) == VersionVector.Order.CONCURRENT) {
            return winner.version().merge(local.get().version());
        }
        return winner.version();
    }
}
