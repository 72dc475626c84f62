package io.peersync.daemon.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChangeBatcherTest {
    private static final long MS = 1_000_000;
    private final ChangeBatcher batcher = new ChangeBatcher(500 * MS, 30_000 * MS);

    @Test
    void deliversAUnitOnceItHasBeenQuietForTheQuietPeriod() {
        assertEquals(Long.MAX_VALUE, batcher.nanosUntilDue(0));
        batcher.add("plugins/akismet/a.php", 0);
        batcher.add("plugins/akismet/b.php", 400 * MS);
        assertEquals(List.of(), batcher.takeDue(800 * MS));
        assertEquals(100 * MS, batcher.nanosUntilDue(800 * MS));
        List<ChangeBatch> due = batcher.takeDue(900 * MS);
        assertEquals(1, due.size());
        assertEquals("plugins/akismet", due.get(0).unit());
        assertEquals(Set.of("plugins/akismet/a.php", "plugins/akismet/b.php"), due.get(0).paths());
        assertFalse(due.get(0).overdue());
        assertEquals(Long.MAX_VALUE, batcher.nanosUntilDue(900 * MS));
    }

    @Test
    void manyUnitsComeDueInTheOrderTheyWentQuietAndNegativeClockReadingsWork() {
        long start = -5_000_000 * MS; // nanoTime may be negative
        int units = 10_000;
        for (int i = units - 1; i >= 0; i--) {
            batcher.add("unit-" + i, start + i * 10 * MS); // unit-i goes quiet at start + 500 ms + i * 10 ms
        }
        batcher.add("unit-0", start + 2 * MS); // changed again: due 2 ms later than first thought
        assertEquals(502 * MS, batcher.nanosUntilDue(start));
        List<ChangeBatch> due = batcher.takeDue(start + 540 * MS);
        // Due by then: unit-0 to unit-4; with them, those due within 100 ms: up to unit-14.
        assertEquals(15, due.size());
        assertEquals(Set.of("unit-0", "unit-1", "unit-2", "unit-3", "unit-4", "unit-5", "unit-6", "unit-7", "unit-8",
                "unit-9", "unit-10", "unit-11", "unit-12", "unit-13", "unit-14"),
                Set.copyOf(due.stream().map(ChangeBatch::unit).toList()));
        assertEquals(110 * MS, batcher.nanosUntilDue(start + 540 * MS)); // unit-15, quiet at 650 ms
        assertEquals(List.of(), batcher.takeDue(start + 540 * MS));
    }

    @Test
    void aCopyFileByFileOverSecondsIsOneBatch() {
        long t = 0;
        batcher.add("plugins/big", t); // the old directory deleted
        for (int i = 0; i < 1500; i++, t += 2 * MS) {
            batcher.add("plugins/big/f" + i + ".php", t);
            assertEquals(List.of(), batcher.takeDue(t));
        }
        List<ChangeBatch> due = batcher.takeDue(t + 500 * MS);
        assertEquals(1, due.size());
        assertEquals(Set.of("plugins/big"), due.get(0).paths());
    }

    @Test
    void aBusyUnitNeverHoldsBackAnother() {
        long t = 0;
        for (; t < 2000 * MS; t += 10 * MS) {
            batcher.add("plugins/cache-writer/cache/" + (t % 7), t);
            if (t == 100 * MS) {
                batcher.add("themes/twentytwentythree/style.css", t);
            }
            for (ChangeBatch b : batcher.takeDue(t)) {
                assertEquals("themes/twentytwentythree", b.unit());
                assertEquals(600 * MS, t, "the theme goes out once quiet, while the plugin is still busy");
            }
        }
        assertTrue(batcher.changedSince("plugins/cache-writer", 0));
    }

    @Test
    void unitsThatGoQuietTogetherGoOutTogether() {
        batcher.add("big.bin", 0); // a move: deleted here ...
        batcher.add("moved/big.bin", 5 * MS); // ... created there
        batcher.add("themes/t/style.css", 300 * MS);
        List<ChangeBatch> due = batcher.takeDue(500 * MS);
        assertEquals(Set.of("big.bin", "moved"),
                due.stream().map(ChangeBatch::unit).collect(java.util.stream.Collectors.toSet()));
        assertEquals(List.of(), batcher.takeDue(700 * MS), "a unit quiet 300 ms later is not held for them");
        assertEquals("themes/t", batcher.takeDue(800 * MS).get(0).unit());
    }

    @Test
    void deliversAfterTheMaxDelayUnderConstantChurn() {
        long t = 0;
        for (; t < 30_000 * MS; t += 100 * MS) {
            batcher.add("index.php", t);
            assertEquals(List.of(), batcher.takeDue(t));
        }
        List<ChangeBatch> due = batcher.takeDue(t);
        assertEquals(1, due.size());
        assertTrue(due.get(0).overdue());
    }

    @Test
    void aRequeuedBatchGoesOutOnceQuietAndKeepsItsFirstTime() {
        batcher.add("plugins/p/a", 0);
        ChangeBatch first = batcher.takeDue(500 * MS).get(0);
        batcher.add("plugins/p/b", 600 * MS); // the unit changed while its scan ran
        assertTrue(batcher.changedSince("plugins/p", 550 * MS));
        assertFalse(batcher.changedSince("themes/t", 550 * MS));
        batcher.requeue(first, 700 * MS);
        assertEquals(List.of(), batcher.takeDue(1100 * MS));
        ChangeBatch again = batcher.takeDue(1200 * MS).get(0);
        assertEquals(Set.of("plugins/p/a", "plugins/p/b"), again.paths());
        assertEquals(0, again.firstNanos());

        batcher.requeue(again, 29_800 * MS);
        assertTrue(batcher.takeDue(30_000 * MS).get(0).overdue(), "the maximum delay counts from the first change");
    }

    @Test
    void manyPathsBecomeTheWholeUnit() {
        for (int i = 0; i < ChangeBatcher.MAX_PATHS_PER_UNIT + 10; i++) {
            batcher.add("uploads/2026/12/img" + i + ".jpg", i);
        }
        assertEquals(Set.of("uploads"), batcher.takeDue(10_000 * MS).get(0).paths());
    }

    @Test
    void changedSinceSeesAChangeAfterItsBatchWentOut() {
        batcher.add("plugins/p/a", 0);
        batcher.takeDue(500 * MS);
        assertTrue(batcher.changedSince("plugins/p", 0));
        assertFalse(batcher.changedSince("plugins/p", 1));
    }

    @Test
    void dropsPathsCoveredByAParentAndCollapsesToTheRoot() {
        assertEquals(Set.of("a", "b/c", "ab"),
                ChangeBatcher.minimise(new TreeSet<>(List.of("a", "a/x", "a/x/y", "ab", "b/c", "b/c/d"))));
        assertEquals(Set.of(""), ChangeBatcher.minimise(new TreeSet<>(List.of("a", "", "b"))));
    }
}
