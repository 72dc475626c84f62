package io.peersync.daemon.ignore;

import java.util.Map;

/**
 * Translates one gitignore glob into a java.util.regex source with git's wildmatch semantics (WM_PATHNAME):
 * {@code *}, {@code ?} and classes never match '/', {@code **} spans directories only as a whole path segment.
 */
final class Glob {
    private static final Map<String, String> POSIX_CLASSES = Map.ofEntries(
            Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("blank", "\\p{Blank}"),
            Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"), Map.entry("graph", "\\p{Graph}"),
            Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"), Map.entry("punct", "\\p{Punct}"),
            Map.entry("space", "\\p{Space}"), Map.entry("upper", "\\p{Upper}"), Map.entry("xdigit", "\\p{XDigit}"));

    /** A glob git would never match (wildmatch's WM_ABORT_ALL); the message says why. */
    static final class BadGlobException extends Exception {
        BadGlobException(String message) {
            super(message);
        }
    }

    private final String glob;
    private final StringBuilder regex = new StringBuilder();
    private int pos;

    private Glob(String glob) {
        this.glob = glob;
    }

    /** Returns the regex source; compile it with {@link java.util.regex.Pattern#DOTALL}. */
    static String toRegex(String glob) throws BadGlobException {
        Glob g = new Glob(glob);
        g.translate();
        return g.regex.toString();
    }

    private void translate() throws BadGlobException {
        int n = glob.length();
        while (pos < n) {
            char c = glob.charAt(pos);
            switch (c) {
                case '\\' -> {
                    if (pos + 1 == n) {
                        throw new BadGlobException("ends with an unescaped '\\'");
                    }
                    literal(regex, glob.charAt(pos + 1));
                    pos += 2;
                }
                case '?' -> {
                    regex.append("[^/]");
                    pos++;
                }
                case '*' -> stars();
                case '[' -> characterClass();
                default -> {
                    literal(regex, c);
                    pos++;
                }
            }
        }
    }

    private void stars() {
        int start = pos;
        int end = pos;
        while (end < glob.length() && glob.charAt(end) == '*') {
            end++;
        }
        boolean segmentStart = start == 0 || glob.charAt(start - 1) == '/';
        boolean segmentEnd = end == glob.length() || glob.charAt(end) == '/';
        if (end - start >= 2 && segmentStart && segmentEnd) {
            if (end == glob.length()) {
                regex.append(".*"); // "x/**": everything inside x
            } else {
                regex.append("(?:.*/)?"); // "**/" and "/**/": zero or more directories
                end++;
            }
        } else {
            regex.append("[^/]*"); // "*", and "**" that is not a whole segment ("a**b" is "a*b")
        }
        pos = end;
    }

    /** Mirrors wildmatch's bracket parsing, including its quirks ("]" first is literal, "-" first or last too). */
    private void characterClass() throws BadGlobException {
        int n = glob.length();
        int p = pos + 1;
        boolean negated = p < n && (glob.charAt(p) == '!' || glob.charAt(p) == '^');
        if (negated) {
            p++;
        }
        StringBuilder items = new StringBuilder();
        int prev = -1; // the previous single character, a possible range start
        boolean first = true;
        while (true) {
            if (p >= n) {
                throw new BadGlobException("unterminated character class '['");
            }
            char c = glob.charAt(p);
            if (c == ']' && !first) {
                break;
            }
            first = false;
            if (c == '\\') {
                if (++p >= n) {
                    throw new BadGlobException("unterminated character class '['");
                }
                c = glob.charAt(p);
                literal(items, c);
                prev = c;
                p++;
            } else if (c == '-' && prev >= 0 && p + 1 < n && glob.charAt(p + 1) != ']') {
                char hi = glob.charAt(++p);
                if (hi == '\\') {
                    if (++p >= n) {
                        throw new BadGlobException("unterminated character class '['");
                    }
                    hi = glob.charAt(p);
                }
                if (prev <= hi) { // a reversed range matches nothing, as in git
                    literal(items, (char) prev);
                    items.append('-');
                    literal(items, hi);
                }
                prev = -1;
                p++;
            } else if (c == '[' && p + 1 < n && glob.charAt(p + 1) == ':') {
                int close = glob.indexOf(']', p + 2);
                if (close < 0) {
                    throw new BadGlobException("unterminated character class '['");
                }
                if (close < p + 3 || glob.charAt(close - 1) != ':') {
                    literal(items, '['); // no ":]" before the next "]": an ordinary '['
                    prev = '[';
                    p++;
                    continue;
                }
                String name = glob.substring(p + 2, close - 1);
                String posix = POSIX_CLASSES.get(name);
                if (posix == null) {
                    throw new BadGlobException("unknown character class [:" + name + ":] (expected one of "
                            + new java.util.TreeSet<>(POSIX_CLASSES.keySet()) + ")");
                }
                items.append(posix);
                prev = -1;
                p = close + 1;
            } else {
                literal(items, c);
                prev = c;
                p++;
            }
        }
        if (items.isEmpty()) {
            regex.append(negated ? "[^/]" : "(?!)");
        } else if (negated) {
            regex.append("[^").append(items).append("/]");
        } else {
            regex.append('[').append(items).append("&&[^/]]");
        }
        pos = p + 1;
    }

    private static void literal(StringBuilder out, char c) {
        // Java regex allows a backslash before any non-alphabetic character; letters, digits and non-ASCII
        // characters are never special.
        if (Character.isLetterOrDigit(c) || c >= 0x80) {
            out.append(c);
        } else {
            out.append('\\').append(c);
        }
    }
}
