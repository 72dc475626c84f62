package io.peersync.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one rule every node uses to pick the global version of a path, so that all nodes converge on the same
 * result without talking it over.
 */
public final class Winner {
    private Winner() {
    }

    /** True when {@code candidate} should replace {@code current} as the global version. */
    public static boolean replaces(FileRecord candidate, FileRecord current) {
        switch (candidate.version().compare(current.version())) {
            case GREATER:
                return true;
            case LESSER:
                return false;
            case EQUAL:
                // Two contents under one version: a node reissued a counter (its index was rolled back, and its
                // clock too). Treat it as a conflict, so every node picks the same one and nobody is in sync with
                // bytes that differ.
                return !candidate.sameContent(current) && winsConflict(candidate, current);
            default:
                return winsConflict(candidate, current);
        }
    }

    /**
     * For concurrent versions: a modification beats a deletion, then the newer mtime, then the higher node id
     * (unsigned), then the version vector that sorts higher, so that exactly one of two concurrent records wins.
     */
    public static boolean winsConflict(FileRecord a, FileRecord b) {
        if (a.deleted() != b.deleted()) {
            return !a.deleted();
        }
        if (a.mtimeNanos() != b.mtimeNanos()) {
            return a.mtimeNanos() > b.mtimeNanos();
        }
        if (a.modifiedBy() != b.modifiedBy()) {
            return Long.compareUnsigned(a.modifiedBy(), b.modifiedBy()) > 0;
        }
        // Same modifier and mtime (e.g. a node that lost its index): concurrent vectors always differ somewhere.
        int byVector = compareVectors(a.version(), b.version());
        return byVector != 0 ? byVector > 0 : compareContent(a, b) > 0;
    }

    /** For equal versions of different content: a total order on what the records hold. */
    private static int compareContent(FileRecord a, FileRecord b) {
        int c = Integer.compare(a.type().code(), b.type().code());
        if (c == 0) {
            c = java.util.Arrays.compareUnsigned(hashBytes(a), hashBytes(b));
        }
        if (c == 0) {
            c = Long.compare(a.size(), b.size());
        }
        if (c == 0) {
            c = Integer.compare(a.mode(), b.mode());
        }
        return c != 0 ? c : a.target().compareTo(b.target());
    }

    private static byte[] hashBytes(FileRecord r) {
        return r.fileHash() == null ? new byte[0] : r.fileHash().bytes();
    }

    /** True when two records are one version of different content, which only a reissued counter makes. */
    public static boolean reissued(FileRecord a, FileRecord b) {
        return a.version().equals(b.version()) && !a.sameContent(b);
    }

    /** A total order on vectors: entries in ascending unsigned node order, compared as (node, counter) pairs. */
    private static int compareVectors(VersionVector a, VersionVector b) {
        var ia = sortedUnsigned(a).iterator();
        var ib = sortedUnsigned(b).iterator();
        while (ia.hasNext() && ib.hasNext()) {
            var ea = ia.next();
            var eb = ib.next();
            int c = Long.compareUnsigned(ea.getKey(), eb.getKey());
            if (c != 0) {
                return c;
            }
            c = Long.compare(ea.getValue(), eb.getValue());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }

    private static List<Map.Entry<Long, Long>> sortedUnsigned(VersionVector v) {
        var entries = new ArrayList<>(v.counters().entrySet());
        entries.sort((x, y) -> Long.compareUnsigned(x.getKey(), y.getKey()));
        return entries;
    }
}
