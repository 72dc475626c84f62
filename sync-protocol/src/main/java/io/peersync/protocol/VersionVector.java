package io.peersync.protocol;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A version vector: for each node that changed a file, how many changes it made. Immutable.
 * Lets any node tell whether one version descends from another or the two are concurrent.
 */
public final class VersionVector {
    /** How two versions relate. */
    public enum Order { EQUAL, GREATER, LESSER, CONCURRENT }

    public static final VersionVector EMPTY = new VersionVector(new TreeMap<>());
    /**
     * At most this many nodes in one vector: the protocol's limit, which the record codec checks. Every node
     * that ever wrote a file has an entry in its vector, so a folder that many short-lived nodes wrote to over years
     * (an autoscaled cluster) needs far more than a few hundred.
     */
    public static final int MAX_ENTRIES = 65_535;

    private final TreeMap<Long, Long> counters;

    private VersionVector(TreeMap<Long, Long> counters) {
        this.counters = counters;
    }

    public static VersionVector of(Map<Long, Long> counters) {
        checkSize(counters.size());
        TreeMap<Long, Long> copy = new TreeMap<>();
        counters.forEach((node, value) -> {
            if (value < 0) {
                throw new IllegalArgumentException("counter: " + value + " (expected: >= 0)");
            }
            if (value > 0) {
                copy.put(node, value);
            }
        });
        return new VersionVector(copy);
    }

    /** This version, with one more change by {@code node}. */
    public VersionVector increment(long node) {
        TreeMap<Long, Long> copy = new TreeMap<>(counters);
        copy.merge(node, 1L, Math::addExact);
        checkSize(copy.size());
        return new VersionVector(copy);
    }

    /**
     * This version, with one more change by {@code node}, whose counter becomes {@code max(old + 1, now)}.
     * {@code now} is a clock reading that only moves forward (microseconds since the epoch): a node whose own
     * index was rolled back (a restored VM snapshot, a lost RocksDB log) still issues counters above every one it
     * issued before, so it never hands out a version a peer may already hold for other content.
     */
    public VersionVector update(long node, long now) {
        TreeMap<Long, Long> copy = new TreeMap<>(counters);
        long next = Math.max(Math.addExact(copy.getOrDefault(node, 0L), 1), now);
        copy.put(node, next);
        checkSize(copy.size());
        return new VersionVector(copy);
    }

    /** The smallest version that descends from both. */
    public VersionVector merge(VersionVector other) {
        TreeMap<Long, Long> copy = new TreeMap<>(counters);
        other.counters.forEach((node, value) -> copy.merge(node, value, Math::max));
        checkSize(copy.size());
        return new VersionVector(copy);
    }

    // Every vector must fit the wire format, or a record could be stored that no peer would accept.
    private static void checkSize(int entries) {
        if (entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("version vector entries: " + entries
                    + " (expected: <= " + MAX_ENTRIES + ")");
        }
    }

    public long counter(long node) {
        return counters.getOrDefault(node, 0L);
    }

    public Map<Long, Long> counters() {
        return Collections.unmodifiableMap(counters);
    }

    public boolean isEmpty() {
        return counters.isEmpty();
    }

    public Order compare(VersionVector other) {
        boolean greater = false;
        boolean lesser = false;
        TreeMap<Long, Long> all = new TreeMap<>(counters);
        other.counters.forEach((k, v) -> all.putIfAbsent(k, 0L));
        for (Long node : all.keySet()) {
            long a = counter(node);
            long b = other.counter(node);
            if (a > b) {
                greater = true;
            } else if (a < b) {
                lesser = true;
            }
        }
        if (greater && lesser) {
            return Order.CONCURRENT;
        }
        return greater ? Order.GREATER : lesser ? Order.LESSER : Order.EQUAL;
    }

    /** True when this version is strictly newer than, or concurrent with, {@code other}. */
    public boolean isNewerOrConcurrent(VersionVector other) {
        Order o = compare(other);
        return o == Order.GREATER || o == Order.CONCURRENT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VersionVector v && counters.equals(v.counters);
    }

    @Override
    public int hashCode() {
        return counters.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        counters.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append(Long.toHexString(k), 0, Math.min(6, Long.toHexString(k).length())).append(':').append(v);
        });
        return sb.append('}').toString();
    }
}
