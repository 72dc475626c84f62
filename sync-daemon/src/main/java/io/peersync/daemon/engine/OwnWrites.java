package io.peersync.daemon.engine;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Paths sync itself just wrote, with when: the watcher's events for them are not local changes. Bounded: old entries
 * go once there are many, and all of them past a hard limit (a rescan then merely finds nothing new).
 */
final class OwnWrites {
    private static final long OWN_WRITE_NANOS = 2_000_000_000L;
    private static final int PRUNE_FROM = 10_000;
    private static final int MAX = 200_000;

    private final Map<String, Long> written = new ConcurrentHashMap<>();
    /** When old entries were last dropped: at most once a second, so marking path by path stays cheap. */
    private volatile long lastPrune = System.nanoTime();

    /** Marks paths sync is writing now. */
    void wrote(Collection<String> paths) {
        long now = System.nanoTime();
        if (written.size() > PRUNE_FROM && now - lastPrune > 1_000_000_000L) {
            lastPrune = now;
            written.values().removeIf(t -> now - t > OWN_WRITE_NANOS);
            if (written.size() > MAX) {
                written.clear();
            }
        }
        paths.forEach(p -> written.put(p, now));
    }

    /** True for a path sync itself wrote moments ago. */
    boolean isOwnWrite(String path) {
        Long t = written.get(path);
        return t != null && System.nanoTime() - t <= OWN_WRITE_NANOS;
    }
}
