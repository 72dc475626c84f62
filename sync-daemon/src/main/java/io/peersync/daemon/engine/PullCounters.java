package io.peersync.daemon.engine;

import java.util.concurrent.atomic.AtomicLong;

/** Where the bytes of pulled files came from, since the daemon started; shown in status. */
final class PullCounters {
    final AtomicLong network = new AtomicLong();
    final AtomicLong localCopy = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    final AtomicLong filesPulled = new AtomicLong();
    final AtomicLong setsApplied = new AtomicLong();
    /** Complete passes of the puller over everything needed. */
    final AtomicLong passes = new AtomicLong();
    volatile long lastSetEntries;
    volatile long lastSetWindowNanos;

    void recordSet(int entries, long windowNanos) {
        setsApplied.incrementAndGet();
        lastSetEntries = entries;
        lastSetWindowNanos = windowNanos;
    }
}
