package io.peersync.daemon.engine;

import io.peersync.daemon.index.FolderCounts;
import io.peersync.daemon.index.IndexStore;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.secret.AccessLevel;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Puts together what the control API shows of a folder: its state, counts and error, and {@code inSync}, which holds
 * only when nothing is scanned, pulled, missing or awaited from a peer and no local change is kept back.
 */
final class FolderStatus {
    /** How long after a folder was added a lack of member peers among the connected ones counts as a wrong secret. */
    private static final long NO_MEMBER_GRACE_SECONDS = 15;

    private final FolderId id;
    private final String root;
    private final AccessLevel level;
    private final IndexStore index;
    private final FolderIgnores ignores;
    private final FolderScans scans;
    private final IndexExchange exchange;
    private final ReadOnlyChanges readOnly;
    private final FolderError error;
    private final HookRunner hook;
    private final Clock clock;
    private final Instant added;

    FolderStatus(FolderId id, String root, AccessLevel level, IndexStore index, FolderIgnores ignores,
                 FolderScans scans, IndexExchange exchange, ReadOnlyChanges readOnly, FolderError error,
                 HookRunner hook, Clock clock) {
        this.id = id;
        this.root = root;
        this.level = level;
        this.index = index;
        this.ignores = ignores;
        this.scans = scans;
        this.exchange = exchange;
        this.readOnly = readOnly;
        this.error = error;
        this.hook = hook;
        this.clock = clock;
        this.added = clock.instant();
    }

    /** A consistent snapshot; {@code connectedPeers} is how many peers this node is connected to at all. */
    FolderState state(Puller puller, IntSupplier connectedPeers, FolderActivity counters) {
        FolderCounts counts = ignores.withoutIgnoredNeeds(index, index.counts(id));
        String folderError = error.get();
        String state;
        if (folderError != null) {
            state = "error";
        } else if (scans.busy()) {
            state = "scanning";
        } else if (puller.busy() || counts.needFiles() > 0) {
            state = "syncing";
        } else {
            state = "idle";
        }
        Map<io.peersync.protocol.NodeId, String> rejections = Map.copyOf(exchange.rejections());
        boolean noMembers = exchange.members().isEmpty();
        String shownError = folderError != null ? folderError : hook.lastError();
        if (shownError == null && noMembers && !rejections.isEmpty()) {
            shownError = rejections.values().iterator().next();
        }
        if (shownError == null && noMembers && connectedPeers.getAsInt() > 0
                && clock.instant().isAfter(added.plusSeconds(NO_MEMBER_GRACE_SECONDS))) {
            shownError = "No connected peer shares this folder: check that the secret is right.";
        }
        boolean errorFree = shownError == null || shownError.equals(hook.lastError()); // a hook never holds sync up
        boolean inSync = errorFree && !scans.busy() && !puller.busy() && counts.needFiles() == 0
                && puller.nothingPullable() && exchange.allComplete() && (readOnly == null || readOnly.isEmpty());
        return new FolderState(id, root, level, state, counts, inSync, shownError, exchange.peers(), rejections,
                counters.network.get(), counters.localCopy.get(), counters.resumed.get());
    }
}
