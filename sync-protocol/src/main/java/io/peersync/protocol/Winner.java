package io.peersync.protocol;

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

    /** For concurrent versions: a modification beats a deletion, then the newer mtime, then the higher node id. */
    public static boolean winsConflict(FileRecord a, FileRecord b) {
        if (a.deleted() != b.deleted()) {
            return !a.deleted();
        }
        if (a.mtimeNanos() != b.mtimeNanos()) {
            return a.mtimeNanos() > b.mtimeNanos();
        }
        return Long.compareUnsigned(a.modifiedBy(), b.modifiedBy()) > 0;
    }
}
