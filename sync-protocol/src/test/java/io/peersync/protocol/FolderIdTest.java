package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FolderIdTest {
    @Test
    void roundTripsThroughBytes() {
        Random random = new Random(1);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[FolderId.BYTES];
            random.nextBytes(b);
            FolderId id = FolderId.ofBytes(b);
            assertEquals(26, id.value().length());
            assertArrayEquals(b, id.bytes());
            assertEquals(id, new FolderId(id.value()));
            assertEquals(id.value(), id.toString());
            assertTrue(FolderId.looksLike(id.value()));
        }
    }

    @Test
    void rejectsWrongByteCount() {
        assertThrows(IllegalArgumentException.class, () -> FolderId.ofBytes(new byte[15]));
        assertThrows(IllegalArgumentException.class, () -> FolderId.ofBytes(new byte[17]));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "AAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "aaaaaaaaaaaaaaaaaaaaaaaaaa", "AAAAAAAAAAAAAAAAAAAAAAAAA1", "AAAAAAAAAAAAAAAAAAAAAAAAA=",
            // The last character's two unused bits must be zero, or one folder would have two ids.
            "AAAAAAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAAAAAA7"})
    void rejectsMalformedText(String text) {
        assertThrows(IllegalArgumentException.class, () -> new FolderId(text));
        assertFalse(FolderId.looksLike(text));
    }

    @Test
    void rejectsNull() {
        assertThrows(IllegalArgumentException.class, () -> new FolderId(null));
        assertFalse(FolderId.looksLike(null));
    }

    @Test
    void ordersByText() {
        FolderId a = new FolderId("A".repeat(26));
        FolderId b = new FolderId("B" + "A".repeat(25));
        FolderId seven = new FolderId("7" + "A".repeat(25));
        assertTrue(a.compareTo(b) < 0);
        // Text order, not byte order: '7' sorts before 'A' though its bits are higher.
        assertTrue(seven.compareTo(a) < 0);
    }
}
