package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AccessLevelTest {
    @Test
    void namesPrefixesAndCodesRoundTrip() {
        for (AccessLevel level : AccessLevel.values()) {
            assertEquals(level, AccessLevel.ofJsonName(level.jsonName()));
            assertEquals(level, AccessLevel.ofPrefix(level.prefix()));
            assertEquals(level, AccessLevel.ofPrefix(Character.toLowerCase(level.prefix())));
            assertEquals(level, AccessLevel.ofCode(level.code()));
        }
        assertEquals("read-write", AccessLevel.READ_WRITE.jsonName());
        assertEquals("read-only", AccessLevel.READ_ONLY.jsonName());
        assertEquals("encrypted", AccessLevel.ENCRYPTED.jsonName());
        assertEquals('W', AccessLevel.READ_WRITE.prefix());
        assertEquals('R', AccessLevel.READ_ONLY.prefix());
        assertEquals('E', AccessLevel.ENCRYPTED.prefix());
        assertEquals(0, AccessLevel.READ_WRITE.code());
        assertEquals(1, AccessLevel.READ_ONLY.code());
        assertEquals(2, AccessLevel.ENCRYPTED.code());
    }

    @Test
    void ordersReadWriteAboveReadOnlyAboveEncrypted() {
        assertTrue(AccessLevel.READ_WRITE.atLeast(AccessLevel.READ_ONLY));
        assertTrue(AccessLevel.READ_ONLY.atLeast(AccessLevel.ENCRYPTED));
        assertTrue(AccessLevel.READ_ONLY.atLeast(AccessLevel.READ_ONLY));
        assertFalse(AccessLevel.READ_ONLY.atLeast(AccessLevel.READ_WRITE));
        assertFalse(AccessLevel.ENCRYPTED.atLeast(AccessLevel.READ_ONLY));
    }

    @Test
    void rejectsUnknownValuesWithExpectedSet() {
        var e = assertThrows(IllegalArgumentException.class, () -> AccessLevel.ofPrefix('X'));
        assertEquals("access level prefix: 'X' (expected: W, R or E)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AccessLevel.ofJsonName("READ_WRITE"));
        assertThrows(IllegalArgumentException.class, () -> AccessLevel.ofCode(3));
        assertThrows(IllegalArgumentException.class, () -> AccessLevel.ofCode(-1));
    }
}
