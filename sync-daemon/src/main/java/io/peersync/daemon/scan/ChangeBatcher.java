package io.peersync.daemon.scan;

import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Debounces changed paths: a batch is due once no path was added for the quiet period, or once the first path of
 * the batch has waited the maximum delay (so constant churn still gets scanned). Times are nanoTime-style readings
 * passed in, so tests need no clock. Not thread-safe.
 */
final class ChangeBatcher {
    private final long quietNanos;
    private final long maxDelayNanos;
    private final TreeSet<String> paths = new TreeSet<>();
    private long first;
    private long last;

    ChangeBatcher(long quietNanos, long maxDelayNanos) {
        if (quietNanos <= 0 || maxDelayNanos < quietNanos) {
            throw new IllegalArgumentException("quiet " + quietNanos + "ns, max delay " + maxDelayNanos
                    + "ns (expected: 0 < quiet <= max delay)");
        }
        this.quietNanos = quietNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** Adds a changed path; "" stands for the whole folder. */
    void add(String path, long now) {
        if (paths.isEmpty()) {
            first = now;
        }
        last = now;
        paths.add(path);
    }

    /** Nanoseconds until the batch is due: 0 or less when due, {@link Long#MAX_VALUE} when empty. */
    long nanosUntilDue(long now) {
        if (paths.isEmpty()) {
            return Long.MAX_VALUE;
        }
        return Math.min(last + quietNanos, first + maxDelayNanos) - now;
    }

    /** The batch, minimised and cleared, when it is due. */
    Optional<Set<String>> takeIfDue(long now) {
        if (nanosUntilDue(now) > 0) {
            return Optional.empty();
        }
        Set<String> batch = minimise(paths);
        paths.clear();
        return Optional.of(batch);
    }

    /** Drops paths under another path of the set: scanning the parent covers them. */
    static Set<String> minimise(TreeSet<String> paths) {
        if (paths.contains("")) {
            return Set.of("");
        }
        TreeSet<String> result = new TreeSet<>();
        for (String p : paths) {
            boolean covered = false;
            for (int slash = p.indexOf('/'); slash >= 0 && !covered; slash = p.indexOf('/', slash + 1)) {
                covered = result.contains(p.substring(0, slash));
            }
            if (!covered) {
                result.add(p);
            }
        }
        return Set.copyOf(result);
    }
}
