package io.peersync.daemon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link BlockServer#blockAt}: finds the block that starts exactly at an offset. */
class BlockServerTest {

    private static List<BlockRef> blocks(int... sizes) {
        List<BlockRef> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < sizes.length; i++) {
            out.add(new BlockRef(offset, sizes[i], Hash.sha256(new byte[] {(byte) i})));
            offset += sizes[i];
        }
        return out;
    }

    @Test
    void findsNothingInAnEmptyList() {
        assertEquals(Optional.empty(), BlockServer.blockAt(List.of(), 0));
    }

    @Test
    void findsTheOnlyBlockAtZeroOnly() {
        List<BlockRef> one = blocks(10);
        assertEquals(Optional.of(one.get(0)), BlockServer.blockAt(one, 0));
        assertEquals(Optional.empty(), BlockServer.blockAt(one, 1));
        assertEquals(Optional.empty(), BlockServer.blockAt(one, 10));
        assertEquals(Optional.empty(), BlockServer.blockAt(one, -1));
    }

    @Test
    void findsFirstMiddleAndLastBlock() {
        List<BlockRef> b = blocks(4, 4, 4, 4, 2);
        assertEquals(Optional.of(b.get(0)), BlockServer.blockAt(b, 0));
        assertEquals(Optional.of(b.get(2)), BlockServer.blockAt(b, 8));
        assertEquals(Optional.of(b.get(4)), BlockServer.blockAt(b, 16));
    }

    @Test
    void rejectsOffsetsInsideBlocksOutsideTheFileOrNegative() {
        List<BlockRef> b = blocks(4, 4, 4, 4, 2);
        for (long offset : new long[] {1, 3, 5, 15, 17, 18, 19, 1000, Long.MAX_VALUE, -1, -4, Long.MIN_VALUE}) {
            assertEquals(Optional.empty(), BlockServer.blockAt(b, offset), "offset " + offset);
        }
    }

    @Test
    void findsEveryBlockStartAndNothingElseInALongList() {
        List<BlockRef> b = blocks(sizes(1000));
        for (BlockRef block : b) {
            assertEquals(Optional.of(block), BlockServer.blockAt(b, block.offset()));
            if (block.size() > 1) {
                assertEquals(Optional.empty(), BlockServer.blockAt(b, block.offset() + 1));
            }
        }
        BlockRef last = b.get(b.size() - 1);
        assertEquals(Optional.empty(), BlockServer.blockAt(b, last.offset() + last.size()));
    }

    @Test
    void findsBlocksBeyondTwoGibibytes() {
        int size = 16 * 1024 * 1024;
        List<BlockRef> big = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            big.add(new BlockRef(i * (long) size, size, Hash.sha256(new byte[0])));
        }
        BlockRef far = big.get(199);
        assertEquals(Optional.of(far), BlockServer.blockAt(big, 199L * 16 * 1024 * 1024));
        assertEquals(Optional.empty(), BlockServer.blockAt(big, 199L * 16 * 1024 * 1024 + 1));
    }

    /** Uneven sizes (1 to 7 bytes), so offsets are not a multiple of anything. */
    private static int[] sizes(int n) {
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = 1 + (i * 5) % 7;
        }
        return sizes;
    }
}
