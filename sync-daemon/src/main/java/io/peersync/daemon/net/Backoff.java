package io.peersync.daemon.net;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Reconnect delays: exponential from {@code base} to {@code max}, with full jitter so peers don't reconnect in lockstep. */
public final class Backoff {
    private final long baseMillis;
    private final long maxMillis;
    private int failures;

    public Backoff(Duration base, Duration max) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff: base " + base + ", max " + max + " (expected: 0 < base <= max)");
        }
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
    }

    /** Delay before the next attempt, after one more failure. */
    public synchronized Duration nextDelay() {
        long ceiling = Math.min(maxMillis, baseMillis << Math.min(failures, 20));
        failures++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }

    public synchronized void reset() {
        failures = 0;
    }
}
