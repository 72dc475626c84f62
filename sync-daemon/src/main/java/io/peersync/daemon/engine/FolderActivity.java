package io.peersync.daemon.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a folder did since the daemon started, for status and metrics: where pulled bytes came from, bytes served,
 * scans and change sets with their durations, conflicts, errors and hook runs. Every field only grows.
 */
public final class FolderActivity {
    final AtomicLong network = new AtomicLong();
    final AtomicLong localCopy = new AtomicLong();
    final AtomicLong resumed = new AtomicLong();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong filesPulled = new AtomicLong();
    final AtomicLong setsApplied = new AtomicLong();
    final AtomicLong setApplyNanos = new AtomicLong();
    final AtomicLong scans = new AtomicLong();
    final AtomicLong scanNanos = new AtomicLong();
    final AtomicLong conflicts = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final AtomicLong hookRuns = new AtomicLong();
    final AtomicLong hookFailures = new AtomicLong();
    private volatile Listener listener = (type, data) -> { };
    /** Complete passes of the puller over everything needed. */
    final AtomicLong passes = new AtomicLong();
    volatile long lastSetEntries;
    volatile long lastSetWindowNanos;

    /** Who hears of change sets applied, conflicts and errors as they happen (the daemon's event log). */
    @FunctionalInterface
    public interface Listener {
        void event(String type, java.util.Map<String, Object> data);
    }

    public void listen(Listener l) {
        listener = l;
    }

    void emit(String type, java.util.Map<String, Object> data) {
        listener.event(type, data);
    }

    void recordSet(int entries, long windowNanos) {
        lastSetEntries = entries;
        lastSetWindowNanos = windowNanos;
    }

    /** A change set was applied whole, {@code nanos} after its pull began (downloads, staging and renames). */
    void applied(long nanos) {
        setsApplied.incrementAndGet();
        setApplyNanos.addAndGet(nanos);
    }

    void scanned(long nanos) {
        scans.incrementAndGet();
        scanNanos.addAndGet(nanos);
    }

    void hookRan(boolean failed) {
        hookRuns.incrementAndGet();
        if (failed) {
            hookFailures.incrementAndGet();
        }
    }

    public long bytesFromNetwork() {
        return network.get();
    }

    public long bytesCopiedLocally() {
        return localCopy.get();
    }

    public long bytesResumed() {
        return resumed.get();
    }

    public long bytesSent() {
        return sent.get();
    }

    public long setsApplied() {
        return setsApplied.get();
    }

    public long setApplyNanos() {
        return setApplyNanos.get();
    }

    public long scans() {
        return scans.get();
    }

    public long scanNanos() {
        return scanNanos.get();
    }

    public long conflicts() {
        return conflicts.get();
    }

    public long errors() {
        return errors.get();
    }

    public long hookRuns() {
        return hookRuns.get();
    }

    public long hookFailures() {
        return hookFailures.get();
    }
}
