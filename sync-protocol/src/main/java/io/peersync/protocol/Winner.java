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
            case EQUAL:
                return false;
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
        return compareVectors(a.version(), b.version()) > 0;
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
