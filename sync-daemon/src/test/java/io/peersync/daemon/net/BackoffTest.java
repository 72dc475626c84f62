package io.peersync.daemon.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofMillis(1000);
    /** The ceiling of each successive delay: doubling from the base, then held at the maximum. */
    private static final List<Long> CEILINGS = List.of(100L, 200L, 400L, 800L, 1000L, 1000L, 1000L);

    @Test
    void delaysGrowUntilCappedAndStayWithinHalfToFullCeiling() {
        for (int run = 0; run < 100; run++) {
            Backoff backoff = new Backoff(BASE, MAX);
            for (long ceiling : CEILINGS) {
                assertWithin(ceiling, backoff.nextDelay());
            }
        }
    }

    @Test
    void staysAtTheCapAfterManyFailures() {
        Backoff backoff = new Backoff(BASE, MAX);
        for (int i = 0; i < 10_000; i++) {
            backoff.nextDelay();
        }
        assertWithin(1000, backoff.nextDelay());
    }

    @Test
    void jittersSoPeersDoNotRetryInLockstep() {
        Backoff backoff = new Backoff(BASE, MAX);
        Set<Duration> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            backoff.reset();
            seen.add(backoff.nextDelay());
        }
        assertTrue(seen.size() > 10, "200 first delays took only " + seen.size() + " distinct values");
    }

    @Test
    void resetStartsOverFromTheBase() {
        Backoff backoff = new Backoff(BASE, MAX);
        for (int i = 0; i < 6; i++) {
            backoff.nextDelay();
        }
        backoff.reset();
        assertWithin(100, backoff.nextDelay());
        assertWithin(200, backoff.nextDelay());
    }

    @Test
    void rejectsBaseNotPositiveOrAboveMax() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, MAX));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ofMillis(-1), MAX));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("expected"), e.getMessage());
    }

    @Test
    void baseEqualToMaxGivesOneCeiling() {
        Backoff backoff = new Backoff(MAX, MAX);
        for (int i = 0; i < 5; i++) {
            assertWithin(1000, backoff.nextDelay());
        }
    }

    private static void assertWithin(long ceilingMillis, Duration delay) {
        long millis = delay.toMillis();
        assertTrue(millis >= ceilingMillis / 2 && millis <= ceilingMillis,
                "delay " + millis + " ms (expected: " + ceilingMillis / 2 + " to " + ceilingMillis + " ms)");
        assertEquals(delay, Duration.ofMillis(millis), "whole milliseconds");
    }
}
