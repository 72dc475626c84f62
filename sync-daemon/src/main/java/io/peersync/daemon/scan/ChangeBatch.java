package io.peersync.daemon.scan;

import java.util.Set;

/**
 * The changed paths of one {@link ChangeUnit}, to be scanned and committed as one change set. {@code firstNanos} is
 * when its first change was seen (nanoTime); {@code overdue} when it went out because it waited the maximum delay,
 * not because the unit was quiet.
 */
public record ChangeBatch(String unit, Set<String> paths, long firstNanos, boolean overdue) {
    public ChangeBatch {
        paths = Set.copyOf(paths);
    }
}
