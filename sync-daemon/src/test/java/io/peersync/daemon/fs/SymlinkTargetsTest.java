package io.peersync.daemon.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SymlinkTargetsTest {
    @Test
    void relativeTargetsThatStayInsideAreAccepted() throws UnsafePathException {
        assertEquals("plugins/target.txt", SymlinkTargets.resolveInside("link", "plugins/target.txt"));
        assertEquals("", SymlinkTargets.resolveInside("a/b/c/d/s", "../../../.."));
        assertEquals("a/x", SymlinkTargets.resolveInside("a/b/l", "../x"));
        assertEquals("a/b/x", SymlinkTargets.resolveInside("a/b/l", "./x"));
    }

    @Test
    void aChainThroughAnotherSymlinkIsRefusedWhateverTheTextSays() {
        // t's text stays inside, but s is a symlink to the folder root: t would lead to /etc/passwd.
        UnsafePathException e = assertThrows(UnsafePathException.class,
                () -> SymlinkTargets.resolveInside("a/b/c/d/t", "s/../../../../etc/passwd"));
        assertEquals(true, e.getMessage().contains("'..' after a name"), e.getMessage());
        assertFalse(SymlinkTargets.isInside("x", "dir/../y"));
    }

    @Test
    void absoluteEscapingAndInternalTargetsAreRefused() {
        assertFalse(SymlinkTargets.isInside("l", "/etc/passwd"));
        assertFalse(SymlinkTargets.isInside("a/l", "../../outside"));
        assertFalse(SymlinkTargets.isInside("l", ".peersync/tmp/x"));
        assertFalse(SymlinkTargets.isInside("l", ""));
    }
}
