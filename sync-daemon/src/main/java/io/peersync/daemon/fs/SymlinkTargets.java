package io.peersync.daemon.fs;

import io.peersync.protocol.FolderPath;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Which symlink targets may exist inside a shared folder: relative ones that stay inside it, read as text with
 * {@code ..} only at the start, so that no other symlink on the way can change where they lead. (The link's own
 * parents are real directories: sync refuses to create anything through a symlinked parent.)
 */
public final class SymlinkTargets {
    private SymlinkTargets() {
    }

    /**
     * Returns the folder-relative path {@code target} points at from a link at {@code linkPath} ("" for the root),
     * or throws when the target is absolute, escapes the folder, or points into {@value FolderPath#INTERNAL_DIR}.
     */
    public static String resolveInside(String linkPath, String target) throws UnsafePathException {
        if (target.isEmpty() || target.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw new UnsafePathException("symlink " + linkPath + ": target is empty or has control characters"
                    + " (expected: a relative path)");
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
        boolean climbing = true;
        for (String p : target.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..") && !climbing) {
                // "x/.." means "where x leads, then up": if x is itself a symlink, that is not where the text says
                // (a/b/s -> ../.., then a/b/t -> s/../../../etc/passwd). Only leading ".." are allowed.
                throw new UnsafePathException("symlink " + linkPath + " -> " + target
                        + ": '..' after a name (expected: '..' only at the start of the target)");
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw new UnsafePathException("symlink " + linkPath + " -> " + target
                            + ": target resolves outside the folder (expected: inside it)");
                }
                parts.removeLast();
            } else {
                climbing = false;
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
