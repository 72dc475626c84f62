package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Test allocator that remembers every buffer it hands out, so a test can assert that all were released and how
 * large the largest one was, deterministically rather than waiting for the GC-driven leak detector.
 */
final class TrackingAllocator extends AbstractByteBufAllocator {
    private final List<ByteBuf> allocated = new ArrayList<>();
    private int largestRequest;

    TrackingAllocator() {
        super(false);
    }

    @Override
    public boolean isDirectBufferPooled() {
        return false;
    }

    @Override
    protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
        return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity), initialCapacity);
    }

    @Override
    protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
        // Heap buffers only: the tests never need direct memory.
        return newHeapBuffer(initialCapacity, maxCapacity);
    }

    private synchronized ByteBuf track(ByteBuf buf, int initialCapacity) {
        allocated.add(buf);
        largestRequest = Math.max(largestRequest, initialCapacity);
        return buf;
    }

    /** The largest capacity asked for or grown to so far (of buffers still allocated). */
    synchronized int largestCapacity() {
        int largest = largestRequest;
        for (ByteBuf buf : allocated) {
            if (buf.refCnt() > 0) {
                largest = Math.max(largest, buf.capacity());
            }
        }
        return largest;
    }

    synchronized void assertAllReleased() {
        for (ByteBuf buf : allocated) {
            assertEquals(0, buf.refCnt(), () -> "leaked buffer of capacity " + buf.capacity());
        }
    }
}
