package io.peersync.daemon.ignore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expectations follow gitignore(5) and git's wildmatch. In the tables a path ending in '/' is a directory (the '/'
 * is stripped before asking), any other path is a file.
 */
class IgnoreRulesTest {

    static Stream<Arguments> gitignoreExamples() {
        return Stream.of(
                // no slash: basename at any depth
                c("*.log", "debug.log", true),
                c("*.log", "logs/debug.log", true),
                c("*.log", "a/b/c.log", true),
                c("*.log", "debug.log.txt", false),
                c("*.log", "old.log/", true),
                c("*.log", "old.log/inside.txt", true),
                // later rules win
                c("*.log\n!important.log", "important.log", false),
                c("*.log\n!important.log", "a/important.log", false),
                c("*.log\n!important.log", "other.log", true),
                c("!important.log\n*.log", "important.log", true),
                c("*.log\n!/important.log", "important.log", false),
                c("*.log\n!/important.log", "a/important.log", true),
                // leading slash anchors to the folder root
                c("/build", "build", true),
                c("/build", "build/", true),
                c("/build", "build/x.o", true),
                c("/build", "src/build", false),
                // trailing slash: directories only, at any depth when there is no other slash
                c("build/", "build/", true),
                c("build/", "build", false),
                c("build/", "src/build/", true),
                c("build/", "src/build/x.o", true),
                c("frotz/", "a/frotz/", true),
                // a slash in the middle anchors too
                c("doc/frotz/", "doc/frotz/", true),
                c("doc/frotz/", "doc/frotz", false),
                c("doc/frotz/", "a/doc/frotz/", false),
                c("doc/frotz/", "doc/frotz/x.txt", true),
                c("doc/frotz", "doc/frotz", true),
                c("doc/frotz", "a/doc/frotz", false),
                c("/a/b", "a/b", true),
                c("/a/b", "x/a/b", false),
                // "*" does not cross '/'
                c("foo/*", "foo/test.json", true),
                c("foo/*", "foo/bar/", true),
                c("foo/*", "foo/", false),
                c("foo/*\n!foo/bar/", "foo/bar/hello.c", false),
                c("/x/a*b", "x/acb", true),
                c("/x/a*b", "x/a/b", false),
                // "**"
                c("**/foo", "foo", true),
                c("**/foo", "a/foo", true),
                c("**/foo", "a/b/foo/", true),
                c("**/foo", "afoo", false),
                c("**/foo/bar", "foo/bar", true),
                c("**/foo/bar", "x/y/foo/bar", true),
                c("**/foo/bar", "foo/x/bar", false),
                c("abc/**", "abc/x", true),
                c("abc/**", "abc/x/y", true),
                c("abc/**", "abc/", false),
                c("abc/**", "x/abc/y", false),
                c("a/**/b", "a/b", true),
                c("a/**/b", "a/x/b", true),
                c("a/**/b", "a/x/y/b", true),
                c("a/**/b", "a/xb", false),
                c("a/**/b", "x/a/b", false),
                c("/**/x", "x", true),
                c("/**/x", "a/b/x", true),
                c("**", "anything/at/all", true),
                c("a**b", "axyb", true), // not a whole segment: an ordinary "*"
                c("/x/a**b", "x/a/b", false),
                // "?"
                c("a?c", "abc", true),
                c("a?c", "ac", false),
                c("a?c", "abbc", false),
                c("/a?c", "a/c", false),
                // character classes
                c("[abc].txt", "b.txt", true),
                c("[abc].txt", "d.txt", false),
                c("[a-c]x", "bx", true),
                c("[a-c]x", "dx", false),
                c("[!a]x", "bx", true),
                c("[!a]x", "ax", false),
                c("[^a]x", "ax", false),
                c("[]]x", "]x", true),
                c("[!]]x", "]x", false),
                c("[a-]x", "-x", true),
                c("[-a]x", "-x", true),
                c("[[:digit:]]x", "5x", true),
                c("[[:digit:]]x", "ax", false),
                c("[![:upper:]]x", "ax", true),
                c("[![:upper:]]x", "Ax", false),
                c("[z-a]x", "mx", false),
                c("[\\]]x", "]x", true),
                c("/x[!a]y", "x/y", false),
                c("/x[/]y", "x/y", false),
                // escapes
                c("\\!important", "!important", true),
                c("\\#notes", "#notes", true),
                c("#notes", "#notes", false),
                c("\\*", "*", true),
                c("\\*", "a", false),
                c("a\\?", "a?", true),
                c("a\\?", "ab", false),
                c("\\[ab]", "[ab]", true),
                c("\\[ab]", "a", false),
                // regex metacharacters are literal
                c("a+b(c)|{d}.$^", "a+b(c)|{d}.$^", true),
                c("a.c", "abc", false),
                // trailing spaces
                c("foo   ", "foo", true),
                c("foo\\ ", "foo ", true),
                c("foo\\ ", "foo", false),
                c("foo\t", "foo\t", true),
                c("foo\t", "foo", false),
                c(" foo", " foo", true),
                c(" foo", "foo", false),
                // line endings, comments, blank lines, BOM
                c("a\r\nb\r\n", "b", true),
                c("# comment\n\n   \nb", "b", true),
                c("# comment\n\n   \nb", "# comment", false),
                c("\uFEFFb", "b", true),
                // git semantics for the ignore file itself
                c(".peersyncignore", ".peersyncignore", true),
                c("café/", "x/café/", true));
    }

    static Stream<Arguments> negationInsideIgnoredDirectory() {
        String onlyFooBar = "/*\n!/foo\n/foo/*\n!/foo/bar";
        return Stream.of(
                c("build/\n!build/keep.txt", "build/keep.txt", true),
                c("build/\n!keep.txt", "build/keep.txt", true),
                c("build\n!build/sub/", "build/sub/x", true),
                c("logs/\n!logs/", "logs/a.txt", false),
                c("*.d\n!keep.d/", "keep.d/", false),
                c("*.d\n!keep.d/", "keep.d", true),
                c(onlyFooBar, "foo/bar", false),
                c(onlyFooBar, "foo/bar/x", false),
                c(onlyFooBar, "foo/", false),
                c(onlyFooBar, "foo/baz", true),
                c(onlyFooBar, "other", true));
    }

    @ParameterizedTest(name = "[{0}] {1} -> ignored={2}")
    @MethodSource({"gitignoreExamples", "negationInsideIgnoredDirectory"})
    void matchesLikeGit(String rules, String path, boolean ignored) {
        IgnoreRules parsed = IgnoreRules.parse(rules);
        assertEquals(List.of(), parsed.problems());
        boolean isDirectory = path.endsWith("/");
        String relative = isDirectory ? path.substring(0, path.length() - 1) : path;
        assertEquals(ignored, parsed.isIgnored(relative, isDirectory));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"foo[", "[a-", "[!", "foo\\", "[[:nope:]]x", "[[:digit:]"})
    void skipsPatternsGitNeverMatchesAndSaysWhy(String rule) {
        IgnoreRules parsed = IgnoreRules.parse("ok\n" + rule + "\n");
        assertEquals(1, parsed.problems().size(), parsed.problems().toString());
        assertTrue(parsed.problems().get(0).startsWith("line 2: \"" + rule + "\""), parsed.problems().get(0));
        assertTrue(parsed.isIgnored("ok", false));
        assertFalse(parsed.isIgnored(rule, false));
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"!", "/", "!/"})
    void reportsRulesThatMatchNothing(String rule) {
        IgnoreRules parsed = IgnoreRules.parse(rule);
        assertEquals(List.of("line 1: \"" + rule + "\" matches nothing; skipped"), parsed.problems());
        assertTrue(parsed.isEmpty());
    }

    @Test
    void aDeletablePrefixMarksWhatSyncMayDeleteToLetADirectoryGo() {
        IgnoreRules r = IgnoreRules.parse("*.log\n(?d)cache/\n(?d)/tmp-*\n");
        assertTrue(r.isIgnored("plugins/x/debug.log", false));
        assertFalse(r.isDeletable("plugins/x/debug.log", false), "ignored, but not (?d)");
        assertTrue(r.isIgnored("plugins/x/cache", true));
        assertTrue(r.isDeletable("plugins/x/cache", true));
        assertTrue(r.isDeletable("plugins/x/cache/page.html", false), "inside a (?d) directory");
        assertTrue(r.isDeletable("tmp-1", false));
        assertFalse(r.isIgnored("sub/tmp-1", false), "the prefix keeps the anchor that follows it");
        assertFalse(r.isDeletable("plugins/x/x.php", false), "not ignored at all");
        assertTrue(r.problems().isEmpty());
    }

    @Test
    void aLaterRuleDecidesWhetherAPathIsDeletable() {
        IgnoreRules r = IgnoreRules.parse("(?d)*.log\nkeep.log\n");
        assertTrue(r.isDeletable("a.log", false));
        assertTrue(r.isIgnored("keep.log", false));
        assertFalse(r.isDeletable("keep.log", false));
    }

    @Test
    void noneIgnoresNothing() {
        assertTrue(IgnoreRules.none().isEmpty());
        assertFalse(IgnoreRules.none().isIgnored("anything", true));
        assertSame(IgnoreRules.none(), IgnoreRules.parse("# only comments\n\n"));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "/a", "a/"})
    void rejectsPathsThatAreNotFolderRelative(String path) {
        IgnoreRules rules = IgnoreRules.parse("*");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> rules.isIgnored(path, false));
        assertTrue(e.getMessage().contains("expected: folder-relative"), e.getMessage());
    }

    private static Arguments c(String rules, String path, boolean ignored) {
        return Arguments.of(rules, path, ignored);
    }
}
