package io.peersync.daemon.scan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Debounces changed paths per {@link ChangeUnit}: a unit's batch is due once no path of that unit was added for the
 * quiet period, or once its first path has waited the maximum delay (so constant churn still gets scanned). Units
 * are independent: a busy unit never holds back another. Times are nanoTime-style readings passed in, so tests need
 * no clock. Thread-safe.
 */
final class ChangeBatcher {
    /** How long a unit's last change is remembered after its batch went out, for {@link #changedSince}. */
    private static final long REMEMBER_NANOS = 120_000_000_000L;
    /**
     * Units that go quiet within this long of a due one go out with it, to be scanned as one change set: a move from
     * one unit to another (a file renamed into another directory) changes both at the same instant, and one set lets
     * the receiver find the moved content in place instead of downloading it again.
     */
    static final long TOGETHER_NANOS = 100_000_000L;
    /** Past this many paths in a unit, the batch is the unit itself (a subtree scan covers them all). */
    static final int MAX_PATHS_PER_UNIT = 256;

    private final long quietNanos;
    private final long maxDelayNanos;
    private final Map<String, Pending> pending = new HashMap<>();
    /** The same batches, soonest due first: finding the next due batch costs no walk over all of them. */
    private final TreeSet<Pending> byDue = new TreeSet<>(
            Comparator.comparingLong((Pending p) -> p.due).thenComparing(p -> p.unit));
    /** The last change seen per unit, also after its batch went out; pruned as it ages. */
    private final Map<String, Long> lastChange = new HashMap<>();

    ChangeBatcher(long quietNanos, long maxDelayNanos) {
        if (quietNanos <= 0 || maxDelayNanos < quietNanos) {
            throw new IllegalArgumentException("quiet " + quietNanos + "ns, max delay " + maxDelayNanos
                    + "ns (expected: 0 < quiet <= max delay)");
        }
        this.quietNanos = quietNanos;
        this.maxDelayNanos = maxDelayNanos;
    }

    /** Adds a changed path; "" stands for the whole folder. */
    synchronized void add(String path, long now) {
        String unit = ChangeUnit.of(path);
        update(unit, now, p -> p.add(path, now));
        lastChange.put(unit, now);
    }

    /**
     * Puts a batch back (its scan saw the unit change again before it could be committed): it is due again once the
     * unit is quiet, and keeps its first time, so the maximum delay still bounds it.
     */
    synchronized void requeue(ChangeBatch batch, long now) {
        update(batch.unit(), batch.firstNanos(), p -> {
            if (batch.firstNanos() - p.first < 0) {
                p.first = batch.firstNanos();
            }
            batch.paths().forEach(path -> p.add(path, now));
        });
    }

    /** Changes the pending batch of {@code unit} (made with {@code first} if there is none) and files it by due time. */
    private void update(String unit, long first, Consumer<Pending> change) {
        Pending p = pending.get(unit);
        if (p == null) {
            p = new Pending(unit, first);
            pending.put(unit, p);
        } else {
            byDue.remove(p);
        }
        change.accept(p);
        p.due = Math.min(p.last + quietNanos, p.first + maxDelayNanos);
        byDue.add(p);
    }

    /** True when {@code unit} has a batch waiting, or changed at or after {@code sinceNanos}. */
    synchronized boolean changedSince(String unit, long sinceNanos) {
        Long last = lastChange.get(unit);
        return pending.containsKey(unit) || last != null && last - sinceNanos >= 0;
    }

    /** Nanoseconds until the next batch is due: 0 or less when due, {@link Long#MAX_VALUE} when none waits. */
    synchronized long nanosUntilDue(long now) {
        return byDue.isEmpty() ? Long.MAX_VALUE : byDue.first().due - now;
    }

    /**
     * The batches that are due, minimised, taken out; with them, those that would be due within
     * {@link #TOGETHER_NANOS}. Empty when none is due.
     */
    synchronized List<ChangeBatch> takeDue(long now) {
        List<ChangeBatch> due = new ArrayList<>();
        if (nanosUntilDue(now) > 0) {
            return due;
        }
        while (!byDue.isEmpty() && byDue.first().due - now <= TOGETHER_NANOS) {
            Pending p = byDue.pollFirst();
            pending.remove(p.unit);
            Set<String> paths = p.paths.size() > MAX_PATHS_PER_UNIT ? Set.of(p.unit) : minimise(p.paths);
            due.add(new ChangeBatch(p.unit, paths, p.first, now - p.first >= maxDelayNanos));
        }
        if (!due.isEmpty()) {
            lastChange.values().removeIf(t -> now - t > REMEMBER_NANOS);
        }
        return due;
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

    private static final class Pending {
        final String unit;
        final TreeSet<String> paths = new TreeSet<>();
        long first;
        long last;
        /** When the batch is due: quiet since its last change, or waited the maximum since its first. */
        long due;

        Pending(String unit, long first) {
            this.unit = unit;
            this.first = first;
            this.last = first;
        }

        void add(String path, long now) {
            // Beyond the bound only the count matters: the batch becomes the whole unit.
            if (paths.size() <= MAX_PATHS_PER_UNIT) {
                paths.add(path);
            }
            last = Math.max(last, now);
        }
    }
}
