package io.peersync.daemon.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChangeBatcherTest {
    private static final long MS = 1_000_000;
    private final ChangeBatcher batcher = new ChangeBatcher(150 * MS, 1000 * MS);

    @Test
    void deliversOnceQuietForTheQuietPeriod() {
        assertEquals(Long.MAX_VALUE, batcher.nanosUntilDue(0));
        batcher.add("a", 0);
        batcher.add("b", 100 * MS);
        assertEquals(Optional.empty(), batcher.takeIfDue(200 * MS));
        assertEquals(50 * MS, batcher.nanosUntilDue(200 * MS));
        assertEquals(Optional.of(Set.of("a", "b")), batcher.takeIfDue(250 * MS));
        assertEquals(Long.MAX_VALUE, batcher.nanosUntilDue(250 * MS));
    }

    @Test
    void deliversAfterTheMaxDelayUnderConstantChurn() {
        long t = 0;
        for (; t < 1000 * MS; t += 100 * MS) {
            batcher.add("f" + t, t);
            assertEquals(Optional.empty(), batcher.takeIfDue(t));
        }
        assertEquals(10, batcher.takeIfDue(t).orElseThrow().size());
    }

    @Test
    void dropsPathsCoveredByAParentAndCollapsesToTheRoot() {
        assertEquals(Set.of("a", "b/c", "ab"),
                ChangeBatcher.minimise(new TreeSet<>(List.of("a", "a/x", "a/x/y", "ab", "b/c", "b/c/d"))));
        assertEquals(Set.of(""), ChangeBatcher.minimise(new TreeSet<>(List.of("a", "", "b"))));
    }
}
