package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FileRecordTest {
    private static final Hash H = Hash.sha256(new byte[] {1});
    private static final VersionVector V = VersionVector.EMPTY.increment(1);

    private static FileRecord file(long size, BlockRef... blocks) {
        return new FileRecord("f", FileType.FILE, size, 0, 0644, V, false, 1, 1, 4, List.of(blocks), H, "");
    }

    @Test
    void acceptsContiguousBlocksCoveringTheSize() {
        assertDoesNotThrow(() -> file(10, new BlockRef(0, 4, H), new BlockRef(4, 4, H), new BlockRef(8, 2, H)));
        assertDoesNotThrow(() -> file(0));
    }

    @Test
    void rejectsAGapBetweenBlocks() {
        var e = assertThrows(IllegalArgumentException.class, () -> file(10, new BlockRef(0, 4, H), new BlockRef(5, 5, H)));
        assertTrue(e.getMessage().contains("not contiguous at 4"), e.getMessage());
    }

    @Test
    void rejectsOverlappingBlocks() {
        assertThrows(IllegalArgumentException.class, () -> file(7, new BlockRef(0, 4, H), new BlockRef(3, 4, H)));
    }

    @Test
    void rejectsBlocksNotStartingAtZero() {
        assertThrows(IllegalArgumentException.class, () -> file(4, new BlockRef(1, 4, H)));
    }

    @Test
    void rejectsBlocksThatDoNotCoverTheSize() {
        assertThrows(IllegalArgumentException.class, () -> file(9, new BlockRef(0, 4, H), new BlockRef(4, 4, H)));
        assertThrows(IllegalArgumentException.class, () -> file(7, new BlockRef(0, 4, H), new BlockRef(4, 4, H)));
        assertThrows(IllegalArgumentException.class, () -> file(1));
    }

    @Test
    void requiresAFileHashForALiveFile() {
        assertThrows(IllegalArgumentException.class,
                () -> new FileRecord("f", FileType.FILE, 0, 0, 0644, V, false, 1, 1, 4, List.of(), null, ""));
    }

    @Test
    void skipsContentChecksForTombstonesAndDirectories() {
        assertDoesNotThrow(() -> new FileRecord("f", FileType.FILE, 5, 0, 0644, V, true, 1, 1, 0, List.of(), null, ""));
        assertDoesNotThrow(() -> new FileRecord("d", FileType.DIRECTORY, 0, 0, 0755, V, false, 1, 1, 0, List.of(),
                null, ""));
    }

    @Test
    void rejectsInvalidFields() {
        assertThrows(IllegalArgumentException.class, () -> file(-1));
        assertThrows(IllegalArgumentException.class,
                () -> new FileRecord("d", FileType.DIRECTORY, 0, 0, 010000, V, false, 1, 1, 0, List.of(), null, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new FileRecord("d", FileType.DIRECTORY, 0, 0, -1, V, false, 1, 1, 0, List.of(), null, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new FileRecord("../d", FileType.DIRECTORY, 0, 0, 0755, V, false, 1, 1, 0, List.of(), null, ""));
        assertThrows(IllegalArgumentException.class,
                () -> new FileRecord("d", FileType.DIRECTORY, 0, 0, 0755, null, false, 1, 1, 0, List.of(), null, ""));
        assertThrows(IllegalArgumentException.class, () -> new BlockRef(-1, 1, H));
        assertThrows(IllegalArgumentException.class, () -> new BlockRef(0, -1, H));
    }

    @Test
    void copiesTheBlockList() {
        List<BlockRef> blocks = new ArrayList<>(List.of(new BlockRef(0, 4, H)));
        FileRecord r = new FileRecord("f", FileType.FILE, 4, 0, 0644, V, false, 1, 1, 4, blocks, H, "");
        blocks.add(new BlockRef(4, 4, H));
        assertEquals(1, r.blocks().size());
    }

    @Test
    void asDeletedMakesAnEmptyTombstone() {
        FileRecord live = file(4, new BlockRef(0, 4, H));
        FileRecord dead = live.asDeleted(V.increment(2), 9, 2, 77);
        assertTrue(dead.deleted());
        assertEquals(0, dead.size());
        assertTrue(dead.blocks().isEmpty());
        assertNull(dead.fileHash());
        assertEquals(9, dead.sequence());
        assertEquals(2, dead.modifiedBy());
        assertEquals(77, dead.mtimeNanos());
        assertFalse(live.sameContent(dead));
        assertTrue(live.sameContent(live.withSequence(50)));
    }
}
