package io.peersync.daemon.engine;

import static io.peersync.daemon.index.Records.file;
import static io.peersync.daemon.index.Records.node;
import static io.peersync.daemon.index.Records.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.daemon.index.Records;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.Winner;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConflictsTest {
    private static final NodeId A = node("a");
    private static final NodeId B = node("b");
    private static final NodeId C = node("c");

    private final FileRecord base = file("p/f.php", "base", version(A, 1), A);
    private final FileRecord editA = file("p/f.php", "edit on A", version(A, 2), A, Records.MTIME + 2_000_000);
    private final FileRecord editB = file("p/f.php", "edit on B", version(A, 1, B, 1), B, Records.MTIME + 1_000_000);

    @Test
    void theKeptVersionDescendsFromBothSidesSoAReplayedLoserChangesNothing() {
        assertTrue(Winner.replaces(editA, editB));
        VersionVector kept = Conflicts.adopted(editA, Optional.of(editB));

        assertEquals(VersionVector.Order.GREATER, kept.compare(editA.version()));
        assertEquals(VersionVector.Order.GREATER, kept.compare(editB.version()));
        FileRecord resolved = editA.withVersion(kept);
        assertFalse(Winner.replaces(editB, resolved), "the replayed loser is dominated");
        // A later deletion descends from the resolution, so the loser cannot undelete the file (modify beats delete
        // only against concurrent versions).
        FileRecord deleted = resolved.asDeleted(kept.update(A.shortId(), 0), 9, A.shortId(), Records.MTIME + 5);
        assertFalse(Winner.replaces(editB, deleted));
    }

    @Test
    void everyNodeThatResolvesTheSameConflictKeepsTheSameVersion() {
        FileRecord editBOnC = editB.withSequence(12); // C pulled B's edit before it met A
        assertEquals(Conflicts.adopted(editA, Optional.of(editB)), Conflicts.adopted(editA, Optional.of(editBOnC)));
    }

    @Test
    void nothingIsMergedWithoutAConflict() {
        assertEquals(editA.version(), Conflicts.adopted(editA, Optional.of(base)));
        assertEquals(editA.version(), Conflicts.adopted(editA, Optional.empty()));
    }

    @Test
    void aLoserIsAConcurrentVersionOrTheSameVersionOfOtherContent() {
        FileRecord reissued = file("p/f.php", "other content", editA.version(), A, Records.MTIME + 3_000_000);

        assertTrue(Conflicts.lost(editB, editA));
        assertTrue(Conflicts.lost(editA, reissued));
        assertFalse(Conflicts.lost(base, editA));
        assertFalse(Conflicts.lost(editA, editA.withSequence(7)));
    }

    @Test
    void threeWayConflictsConvergeOnTheMergeOfAll() {
        FileRecord editC = file("p/f.php", "edit on C", version(A, 1, C, 1), C, Records.MTIME);
        VersionVector ab = Conflicts.adopted(editA, Optional.of(editB));
        VersionVector ac = Conflicts.adopted(editA, Optional.of(editC));
        // The two partial resolutions are concurrent records of one content: the next pull merges them as well.
        VersionVector all = Conflicts.adopted(editA.withVersion(ab), Optional.of(editA.withVersion(ac)));

        assertEquals(ab.merge(ac), all);
        for (FileRecord side : new FileRecord[] {editA, editB, editC}) {
            assertEquals(VersionVector.Order.GREATER, all.compare(side.version()));
        }
    }
}
