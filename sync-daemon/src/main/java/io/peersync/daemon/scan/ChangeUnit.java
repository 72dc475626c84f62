package io.peersync.daemon.scan;

/**
 * The unit a changed path belongs to: changes are grouped per unit at the source, so that everything an installer
 * writes into one plugin becomes one change set, and a change elsewhere is not held back by it. A unit is each
 * directory under {@code plugins/}, {@code themes/} and {@code mu-plugins/} (at the top of the folder, as in a
 * shared {@code wp-content}, or under {@code wp-content/}, as in a shared WordPress root); anything else belongs to
 * its top-level entry. "" (the whole folder) is its own unit.
 */
public final class ChangeUnit {
    private static final java.util.Set<String> EXTENSION_DIRS = java.util.Set.of("plugins", "themes", "mu-plugins");

    private ChangeUnit() {
    }

    /** The unit of a folder-relative path. */
    public static String of(String path) {
        int first = path.indexOf('/');
        if (first < 0) {
            return path;
        }
        String top = path.substring(0, first);
        if (EXTENSION_DIRS.contains(top)) {
            return upTo(path, first);
        }
        if (top.equals("wp-content")) {
            int second = path.indexOf('/', first + 1);
            if (second > 0 && EXTENSION_DIRS.contains(path.substring(first + 1, second))) {
                return upTo(path, second);
            }
        }
        return top;
    }

    /** The path up to the end of the component that follows the slash at {@code slash}. */
    private static String upTo(String path, int slash) {
        int next = path.indexOf('/', slash + 1);
        return next < 0 ? path : path.substring(0, next);
    }
}
