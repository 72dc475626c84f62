package io.peersync.protocol;

import static io.peersync.protocol.VersionVector.Order.CONCURRENT;
import static io.peersync.protocol.VersionVector.Order.EQUAL;
import static io.peersync.protocol.VersionVector.Order.GREATER;
import static io.peersync.protocol.VersionVector.Order.LESSER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.VersionVector.Order;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VersionVectorTest {
    private static final long A = 1;
    private static final long B = 2;
    /** Negative as a long: node ids are unsigned, ordering of keys must not matter. */
    private static final long C = 0x8000_0000_0000_0005L;

    static Stream<Arguments> comparisons() {
        return Stream.of(
                Arguments.of(Map.of(), Map.of(), EQUAL),
                Arguments.of(Map.of(A, 1L), Map.of(A, 1L), EQUAL),
                Arguments.of(Map.of(A, 1L, C, 2L), Map.of(C, 2L, A, 1L), EQUAL),
                Arguments.of(Map.of(A, 1L), Map.of(), GREATER),
                Arguments.of(Map.of(A, 2L), Map.of(A, 1L), GREATER),
                Arguments.of(Map.of(A, 1L, B, 1L), Map.of(A, 1L), GREATER),
                Arguments.of(Map.of(A, 2L, C, 1L), Map.of(A, 1L, C, 1L), GREATER),
                Arguments.of(Map.of(), Map.of(C, 1L), LESSER),
                Arguments.of(Map.of(A, 1L), Map.of(A, 1L, B, 3L), LESSER),
                Arguments.of(Map.of(A, 1L), Map.of(B, 1L), CONCURRENT),
                Arguments.of(Map.of(A, 2L, B, 1L), Map.of(A, 1L, B, 2L), CONCURRENT),
                Arguments.of(Map.of(A, 1L, C, 1L), Map.of(A, 2L), CONCURRENT),
                // A zero counter is the same as no entry.
                Arguments.of(Map.of(A, 1L, B, 0L), Map.of(A, 1L), EQUAL));
    }

    @ParameterizedTest(name = "{0} vs {1} is {2}")
    @MethodSource("comparisons")
    void compares(Map<Long, Long> a, Map<Long, Long> b, Order expected) {
        VersionVector va = VersionVector.of(a);
        VersionVector vb = VersionVector.of(b);
        assertEquals(expected, va.compare(vb));
        Order reverse = switch (expected) {
            case GREATER -> LESSER;
            case LESSER -> GREATER;
            default -> expected;
        };
        assertEquals(reverse, vb.compare(va), "compare is antisymmetric");
        assertEquals(expected == GREATER || expected == CONCURRENT, va.isNewerOrConcurrent(vb));
        assertEquals(expected == EQUAL, va.equals(vb));
    }

    @Test
    void incrementAddsOneForTheNode() {
        VersionVector v = VersionVector.EMPTY.increment(A).increment(A).increment(C);
        assertEquals(Map.of(A, 2L, C, 1L), v.counters());
        assertEquals(GREATER, v.compare(VersionVector.of(Map.of(A, 2L))));
        assertTrue(VersionVector.EMPTY.isEmpty(), "increment does not change the original");
    }

    @Test
    void incrementRefusesToOverflow() {
        VersionVector max = VersionVector.of(Map.of(A, Long.MAX_VALUE));
        assertThrows(ArithmeticException.class, () -> max.increment(A));
    }

    @Test
    void mergeTakesTheMaximumOfEachNode() {
        VersionVector a = VersionVector.of(Map.of(A, 3L, B, 1L));
        VersionVector b = VersionVector.of(Map.of(A, 1L, B, 4L, C, 2L));
        VersionVector m = a.merge(b);
        assertEquals(Map.of(A, 3L, B, 4L, C, 2L), m.counters());
        assertEquals(m, b.merge(a));
        assertEquals(GREATER, m.compare(a));
        assertEquals(GREATER, m.compare(b));
        assertEquals(a, a.merge(VersionVector.EMPTY));
    }

    @Test
    void dropsZeroCountersAndRejectsNegativeOnes() {
        VersionVector v = VersionVector.of(Map.of(A, 0L, B, 1L));
        assertEquals(Map.of(B, 1L), v.counters());
        assertEquals(0, v.counter(A));
        assertEquals(VersionVector.EMPTY, VersionVector.of(Map.of(A, 0L)));
        assertThrows(IllegalArgumentException.class, () -> VersionVector.of(Map.of(A, -1L)));
    }

    @Test
    void limitsEntries() {
        Map<Long, Long> full = entries(0, VersionVector.MAX_ENTRIES);
        VersionVector v = VersionVector.of(full);
        assertEquals(VersionVector.MAX_ENTRIES, v.counters().size());
        assertThrows(IllegalArgumentException.class, () -> VersionVector.of(entries(0, VersionVector.MAX_ENTRIES + 1)));
        assertThrows(IllegalArgumentException.class, () -> v.increment(-1));
        assertThrows(IllegalArgumentException.class, () -> v.merge(VersionVector.of(entries(100_000, 1))));
        assertEquals(2, v.increment(0).merge(v).counter(0), "a full vector can still count existing nodes");
    }

    @Test
    void aFileWrittenByThousandsOfNodesOverItsLifeStillGetsNewVersions() {
        VersionVector v = VersionVector.EMPTY;
        for (long node = 1; node <= 5000; node++) {
            v = v.update(node, 1_000 + node);
        }
        assertEquals(5000, v.counters().size());
        VersionVector next = v.update(77, 10_000);
        assertEquals(VersionVector.Order.GREATER, next.compare(v));
        assertEquals(VersionVector.Order.CONCURRENT, next.compare(v.update(5001, 9_999)));
    }

    @Test
    void isImmutable() {
        VersionVector v = VersionVector.of(new HashMap<>(Map.of(A, 1L)));
        assertThrows(UnsupportedOperationException.class, () -> v.counters().put(B, 1L));
        assertFalse(v.isEmpty());
    }

    private static Map<Long, Long> entries(long first, int count) {
        Map<Long, Long> m = new HashMap<>();
        for (long i = first; i < first + count; i++) {
            m.put(i, 1L);
        }
        return m;
    }

    @Test
    void updateTakesTheClockWhenItIsAheadAndOneMoreOtherwise() {
        VersionVector v = VersionVector.EMPTY.update(7, 1_000);
        assertEquals(1_000, v.counter(7));
        assertEquals(1_001, v.update(7, 500).counter(7), "a clock behind the counter still moves it forward");
        assertEquals(5_000, v.update(7, 5_000).counter(7));
        assertEquals(VersionVector.Order.GREATER, v.update(7, 0).compare(v));
    }

    @Test
    void aCounterIssuedAfterARollbackIsAboveEveryOneIssuedBefore() {
        VersionVector snapshot = VersionVector.EMPTY.update(7, 1_000);
        VersionVector afterSnapshot = snapshot.update(7, 2_000); // synced to peers, then the node is restored
        VersionVector afterRestore = snapshot.update(7, 3_000); // the restored node edits again, later

        assertEquals(VersionVector.Order.GREATER, afterRestore.compare(afterSnapshot));
        assertNotEquals(afterSnapshot, afterRestore);
    }
}
