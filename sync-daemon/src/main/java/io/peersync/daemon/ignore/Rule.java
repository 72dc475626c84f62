package io.peersync.daemon.ignore;

import java.util.regex.Pattern;

/**
 * One parsed line of an ignore file.
 *
 * @param regex        the glob, compiled once
 * @param negated      the line started with '!': a match re-includes the path
 * @param directoryOnly the line ended with '/': only directories match
 * @param basename     the glob had no '/' (apart from a trailing one): it is matched against the last path segment
 *                     at any depth; otherwise against the whole folder-relative path
 * @param source       the line as written, for messages
 * @param line         1-based line number, for messages
 */
record Rule(Pattern regex, boolean negated, boolean directoryOnly, boolean basename, boolean deletable, String source,
            int line) {

    /**
     * Whether this rule matches {@code path[0, end)}, whose last segment starts at {@code segmentStart}; the
     * region avoids a substring per check.
     */
    boolean matches(String path, int segmentStart, int end, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        return regex.matcher(path).region(basename ? segmentStart : 0, end).matches();
    }
}
