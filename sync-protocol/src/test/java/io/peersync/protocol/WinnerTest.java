package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WinnerTest {
    private static final long A = 0x1111L;
    private static final long B = 0x2222L;
    /** Top bit set: higher than A and B when compared unsigned, lower when compared signed. */
    private static final long HIGH = 0x8000_0000_0000_0001L;

    private static VersionVector vv(long... nodeCounterPairs) {
        VersionVector v = VersionVector.EMPTY;
        for (int i = 0; i < nodeCounterPairs.length; i += 2) {
            for (long c = 0; c < nodeCounterPairs[i + 1]; c++) {
                v = v.increment(nodeCounterPairs[i]);
            }
        }
        return v;
    }

    private static FileRecord file(VersionVector v, long mtime, long by) {
        Hash h = Hash.sha256(new byte[] {(byte) by});
        return new FileRecord("a/b", FileType.FILE, 1, mtime, 0644, v, false, 1, by, 1,
                List.of(new BlockRef(0, 1, h)), h, "");
    }

    private static FileRecord deleted(VersionVector v, long mtime, long by) {
        return file(v, mtime, by).asDeleted(v, 2, by, mtime);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // name, candidate, current, candidate replaces current
                Arguments.of("greater wins", file(vv(A, 2), 1, A), file(vv(A, 1), 9, B), true),
                Arguments.of("greater deletion wins", deleted(vv(A, 1, B, 1), 1, B), file(vv(A, 1), 9, A), true),
                Arguments.of("lesser loses", file(vv(A, 1), 9, A), file(vv(A, 2), 1, A), false),
                Arguments.of("equal, same content keeps current", file(vv(A, 1), 1, A), file(vv(A, 1), 1, A), false),
                Arguments.of("equal version of two contents (a reissued counter): newer mtime wins",
                        file(vv(A, 1), 9, B), file(vv(A, 1), 1, A), true),
                Arguments.of("equal version of two contents: older mtime loses",
                        file(vv(A, 1), 1, A), file(vv(A, 1), 9, B), false),
                Arguments.of("concurrent: modification beats deletion", file(vv(A, 1), 1, A),
                        deleted(vv(B, 1), 9, B), true),
                Arguments.of("concurrent: deletion loses to modification", deleted(vv(B, 1), 9, B),
                        file(vv(A, 1), 1, A), false),
                Arguments.of("concurrent: newer mtime wins", file(vv(A, 1), 2, A), file(vv(B, 1), 1, B), true),
                Arguments.of("concurrent: older mtime loses", file(vv(B, 1), 1, B), file(vv(A, 1), 2, A), false),
                Arguments.of("concurrent tombstones: newer mtime wins", deleted(vv(A, 1), 2, A),
                        deleted(vv(B, 1), 1, B), true),
                Arguments.of("concurrent, same mtime: higher modifiedBy wins", file(vv(B, 1), 5, B),
                        file(vv(A, 1), 5, A), true),
                Arguments.of("modifiedBy compares unsigned", file(vv(HIGH, 1), 5, HIGH), file(vv(A, 1), 5, A), true),
                Arguments.of("modifiedBy compares unsigned, reversed", file(vv(A, 1), 5, A),
                        file(vv(HIGH, 1), 5, HIGH), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void picksTheGlobalVersion(String name, FileRecord candidate, FileRecord current, boolean replaces) {
        assertEquals(replaces, Winner.replaces(candidate, current));
    }

    @Test
    void exactlyOneOfTwoContentsUnderOneVersionWinsEvenWithTheSameMtimeAndAuthor() {
        FileRecord one = file(vv(A, 3), 5, A);
        Hash other = Hash.sha256(new byte[] {42});
        FileRecord two = new FileRecord("a/b", FileType.FILE, 1, 5, 0644, vv(A, 3), false, 1, A, 1,
                List.of(new BlockRef(0, 1, other)), other, "");

        assertTrue(Winner.reissued(one, two));
        assertNotEquals(Winner.replaces(one, two), Winner.replaces(two, one));
        assertFalse(Winner.reissued(one, one.withSequence(9)));
    }

    @Test
    void exactlyOneOfTwoConcurrentRecordsWins() {
        List<FileRecord> records = new ArrayList<>();
        long[] nodes = {A, B, HIGH};
        long[] mtimes = {1, 2};
        for (long n : nodes) {
            for (long m : mtimes) {
                for (int k = 1; k <= 2; k++) {
                    records.add(file(vv(n, k), m, n));
                    records.add(deleted(vv(n, k), m, n));
                }
            }
        }
        // Same modifier and mtime, concurrent vectors: only the vectors tell them apart.
        records.add(file(vv(A, 2, B, 1), 7, A));
        records.add(file(vv(A, 1, B, 2), 7, A));
        records.add(file(vv(A, 1, HIGH, 1), 7, A));
        int pairs = 0;
        for (FileRecord a : records) {
            for (FileRecord b : records) {
                if (a.version().compare(b.version()) != VersionVector.Order.CONCURRENT) {
                    continue;
                }
                pairs++;
                assertNotEquals(Winner.replaces(a, b), Winner.replaces(b, a),
                        () -> a.version() + "/" + a.modifiedBy() + " vs " + b.version() + "/" + b.modifiedBy());
            }
        }
        assertTrue(pairs > 100, "the table covers many concurrent pairs");
    }

    @Test
    void sameModifierAndMtimeStillPicksOne() {
        FileRecord x = file(vv(A, 2, B, 1), 7, A);
        FileRecord y = file(vv(A, 1, B, 2), 7, A);
        assertTrue(Winner.replaces(x, y) ^ Winner.replaces(y, x));
        assertFalse(Winner.replaces(x, x));
        assertEquals(Map.of(A, 2L, B, 1L), x.version().counters());
    }
}
