package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class FolderPathTest {
    static Stream<String> valid() {
        return Stream.of("a", "a/b/c", "file.txt", ".hidden", "...", "..a", "a..", "a/.b", ".peersyncx",
                "dir/.peersync", "dir/.peersync/x", "peersync/x", "with space/ü/日本語", "a:b", "x".repeat(255),
                ("d".repeat(254) + "/").repeat(16) + "x".repeat(16));
    }

    static Stream<String> invalid() {
        return Stream.of("", "/", "/a", "//a", "a/", "a//b", ".", "..", "./a", "a/.", "../a", "a/..", "a/../b",
                "a\\b", "..\\a", "a\0b", ".peersync", ".peersync/index", ".PEERSYNC/x", ".PeerSync",
                "x".repeat(256), "é".repeat(128), ("d".repeat(254) + "/").repeat(16) + "x".repeat(17),
                "evil\nPEERSYNC forged line", "tab\tname", "esc\u001b[31m", "del\u007f", "c1\u0085next");
    }

    @ParameterizedTest
    @MethodSource("valid")
    void acceptsSafePaths(String path) {
        assertEquals(path, FolderPath.validate(path));
        assertTrue(FolderPath.isValid(path));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void rejectsUnsafePaths(String path) {
        assertThrows(IllegalArgumentException.class, () -> FolderPath.validate(path));
        assertFalse(FolderPath.isValid(path));
    }

    @Test
    void showsControlCharactersForLogs() {
        assertEquals("evil\\x0aline", FolderPath.printable("evil\nline"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FolderPath.validate("a\nb"));
        assertEquals("path: a\\x0ab (expected: no control characters such as NUL, newline or escape)", e.getMessage());
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> FolderPath.validate(null));
        assertFalse(FolderPath.isValid(null));
    }

    @Test
    void recognisesTheInternalDirectoryIgnoringCase() {
        assertTrue(FolderPath.isInternal(".peersync"));
        assertTrue(FolderPath.isInternal(".peersync/tmp/x"));
        assertTrue(FolderPath.isInternal(".PeerSync/tmp"));
        assertFalse(FolderPath.isInternal(".peersyncx"));
        assertFalse(FolderPath.isInternal("a/.peersync"));
    }

    @Test
    void findsTheParent() {
        assertEquals("", FolderPath.parent("a"));
        assertEquals("a", FolderPath.parent("a/b"));
        assertEquals("a/b", FolderPath.parent("a/b/c"));
    }
}
