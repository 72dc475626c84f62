package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.util.ArrayDeque;
import java.util.Deque;

/** Which symlink targets may exist inside a shared folder: relative ones that stay inside it. */
public final class SymlinkTargets {
    private SymlinkTargets() {
    }

    /**
     * Returns the folder-relative path {@code target} points at from a link at {@code linkPath} ("" for the root),
     * or throws when the target is absolute, escapes the folder, or points into {@value FolderPath#INTERNAL_DIR}.
     */
    public static String resolveInside(String linkPath, String target) throws UnsafePathException {
        if (target.isEmpty() || target.indexOf('\0') >= 0) {
            throw new UnsafePathException("symlink " + linkPath + ": target is empty or has a NUL (expected: a relative path)");
        }
        if (target.startsWith("/")) {
            throw new UnsafePathException("symlink " + linkPath + " -> " + target
                    + ": absolute target (expected: relative, inside the folder)");
        }
        Deque<String> parts = new ArrayDeque<>();
        String parent = FolderPath.parent(linkPath);
        if (!parent.isEmpty()) {
            for (String p : parent.split("/")) {
                parts.addLast(p);
            }
        }
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UnsafePathException("symlink " + linkPath + " -> " + target
                            + ": target resolves outside the folder (expected: inside it)");
                }
                parts.removeLast();
            } else {
                parts.addLast(p);
            }
        }
        String resolved = String.join("/", parts);
        if (FolderPath.isInternal(resolved)) {
            throw new UnsafePathException("symlink " + linkPath + " -> " + target
                    + ": target is inside " + FolderPath.INTERNAL_DIR + "/ (expected: a synced path)");
        }
        return resolved;
    }

    /** True when {@link #resolveInside} accepts the target. */
    public static boolean isInside(String linkPath, String target) {
        try {
            resolveInside(linkPath, target);
            return true;
        } catch (UnsafePathException e) {
            return false;
        }
    }
}
