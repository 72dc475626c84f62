package io.peersync.daemon.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The parsed rules of a folder's {@code .peersyncignore}, with gitignore(5) syntax and semantics; immutable and safe
 * to share between threads. See {@code sync-daemon/IGNORE.md}.
 */
public final class IgnoreRules {
    private static final IgnoreRules NONE = new IgnoreRules(List.of(), List.of());
    private static final String DELETABLE = "(?d)";

    private final List<Rule> rules;
    private final List<String> problems;

    private IgnoreRules(List<Rule> rules, List<String> problems) {
        this.rules = rules;
        this.problems = problems;
    }

    /** Rules that ignore nothing. */
    public static IgnoreRules none() {
        return NONE;
    }

    /**
     * Parses the text of an ignore file. Never fails: a line git would never match (an unterminated class, a
     * trailing backslash, an unknown {@code [:class:]}) is skipped and described in {@link #problems()}.
     */
    public static IgnoreRules parse(String text) {
        Objects.requireNonNull(text, "text");
        List<Rule> rules = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // git skips a UTF-8 byte order mark
            }
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            parseLine(line, i + 1, rules, problems);
        }
        return rules.isEmpty() && problems.isEmpty() ? NONE : new IgnoreRules(List.copyOf(rules), List.copyOf(problems));
    }

    private static void parseLine(String raw, int lineNo, List<Rule> rules, List<String> problems) {
        if (raw.startsWith("#")) {
            return; // comments are recognised before trailing spaces are trimmed, as in git
        }
        String body = trimTrailingSpaces(raw);
        if (body.isEmpty()) {
            return;
        }
        // As in Syncthing: "(?d)" before a pattern lets sync delete what it ignores when that is all that keeps a
        // directory the peers deleted from going.
        boolean deletable = body.startsWith(DELETABLE);
        if (deletable) {
            body = body.substring(DELETABLE.length());
        }
        boolean negated = body.startsWith("!");
        if (negated) {
            body = body.substring(1);
        }
        boolean directoryOnly = body.endsWith("/");
        if (directoryOnly) {
            body = body.substring(0, body.length() - 1);
        }
        boolean basename = body.indexOf('/') < 0;
        if (body.startsWith("/")) {
            body = body.substring(1);
        }
        if (body.isEmpty()) {
            problems.add("line " + lineNo + ": \"" + raw + "\" matches nothing; skipped");
            return;
        }
        try {
            Pattern regex = Pattern.compile(Glob.toRegex(body), Pattern.DOTALL);
            rules.add(new Rule(regex, negated, directoryOnly, basename, deletable, raw, lineNo));
        } catch (Glob.BadGlobException e) {
            problems.add("line " + lineNo + ": \"" + raw + "\" " + e.getMessage() + "; skipped, git never matches it");
        }
    }

    /** git's trim_trailing_spaces: drops trailing ' ' unless backslash-escaped; tabs are kept. */
    private static String trimTrailingSpaces(String s) {
        int lastSpace = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ') {
                if (lastSpace < 0) {
                    lastSpace = i;
                }
                continue;
            }
            if (c == '\\') {
                if (++i == s.length()) {
                    return s;
                }
            }
            lastSpace = -1;
        }
        return lastSpace < 0 ? s : s.substring(0, lastSpace);
    }

    /**
     * Whether {@code path} (folder-relative, '/'-separated, no leading or trailing '/') is ignored: the path or
     * one of its parent directories is matched last by a non-negated rule. Parents are decided first and an
     * ignored parent is final, so, as in git, a negated rule cannot re-include a path inside an ignored directory.
     */
    public boolean isIgnored(String path, boolean isDirectory) {
        return decidingRule(path, isDirectory) != null;
    }

    /**
     * Whether {@code path} is ignored by a {@code (?d)} rule (itself or an ignored parent directory): sync may delete
     * it when it alone keeps a directory that was deleted on the peers from going.
     */
    public boolean isDeletable(String path, boolean isDirectory) {
        Rule rule = decidingRule(path, isDirectory);
        return rule != null && rule.deletable();
    }

    /** The rule that makes {@code path} ignored, or null when it is not ignored. */
    private Rule decidingRule(String path, boolean isDirectory) {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/")) {
            throw new IllegalArgumentException("path: \"" + path
                    + "\" (expected: folder-relative, non-empty, no leading or trailing '/')");
        }
        if (rules.isEmpty()) {
            return null;
        }
        int segmentStart = 0;
        for (int slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', segmentStart)) {
            Rule parent = lastMatchIgnoring(path, segmentStart, slash, true);
            if (parent != null) {
                return parent;
            }
            segmentStart = slash + 1;
        }
        return lastMatchIgnoring(path, segmentStart, path.length(), isDirectory);
    }

    /** The last rule matching {@code path[0, end)} when it ignores (is not negated), else null. */
    private Rule lastMatchIgnoring(String path, int segmentStart, int end, boolean isDirectory) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            Rule rule = rules.get(i);
            if (rule.matches(path, segmentStart, end, isDirectory)) {
                return rule.negated() ? null : rule;
            }
        }
        return null;
    }

    /** Whether no rule was parsed: {@link #isIgnored} is false for every path. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Lines that were skipped, each with its line number and the reason; empty when every line parsed. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return "IgnoreRules[" + rules.size() + " rules, " + problems.size() + " problems]";
    }
}
