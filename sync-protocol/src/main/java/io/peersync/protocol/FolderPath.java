package io.peersync.protocol;

import java.nio.charset.StandardCharsets;

/** Rules for folder-relative paths received from anyone: relative, normalised, no escape. */
public final class FolderPath {
    public static final int MAX_BYTES = 4096;
    public static final int MAX_COMPONENT_BYTES = 255;
    /** Directory inside every shared folder that is never synced. */
    public static final String INTERNAL_DIR = ".peersync";

    private FolderPath() {
    }

    /** Throws {@link IllegalArgumentException} naming the problem unless {@code path} is safe. */
    public static String validate(String path) {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("path: empty (expected: a folder-relative path)");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("path: longer than " + MAX_BYTES + " bytes");
        }
        if (path.startsWith("/")) {
            throw new IllegalArgumentException("path: " + path + " (expected: relative, not absolute)");
        }
        if (path.indexOf('\\') >= 0) {
            throw new IllegalArgumentException("path: " + printable(path) + " (expected: no backslash)");
        }
        for (int i = 0; i < path.length(); i++) {
            if (Character.isISOControl(path.charAt(i))) {
                // A newline in a name would forge a line wherever paths are listed one per line (the hook's input).
                throw new IllegalArgumentException("path: " + printable(path)
                        + " (expected: no control characters such as NUL, newline or escape)");
            }
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("path: " + printable(path) + " (expected: no empty, '.' or '..' component)");
            }
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_COMPONENT_BYTES) {
                throw new IllegalArgumentException("path: a component is longer than " + MAX_COMPONENT_BYTES + " bytes");
            }
        }
        if (isInternal(path)) {
            throw new IllegalArgumentException("path: " + path + " (expected: not inside " + INTERNAL_DIR + "/)");
        }
        return path;
    }

    /** True for the internal directory and anything in it, ignoring case (case-insensitive filesystems). */
    public static boolean isInternal(String path) {
        int slash = path.indexOf('/');
        String first = slash < 0 ? path : path.substring(0, slash);
        return first.equalsIgnoreCase(INTERNAL_DIR);
    }

    public static boolean isValid(String path) {
        try {
            validate(path);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The parent path, or "" for a top-level entry. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    /** {@code s} with each control character shown as a backslash, x and two hex digits, for logs and errors. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
