package io.peersync.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {
    private static NodeId id(int seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return new NodeId(Hash.of(b));
    }

    @Test
    void roundTripsThroughText() {
        for (int seed = 0; seed < 50; seed++) {
            NodeId id = id(seed);
            String text = id.toString();
            assertEquals(52, text.length());
            assertTrue(text.matches("[A-Z2-7]{52}"), text);
            assertEquals(id, NodeId.parse(text));
        }
    }

    @Test
    void ignoresDashesAndCase() {
        NodeId id = id(1);
        String text = id.toString();
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < text.length(); i += 7) {
            if (i > 0) {
                grouped.append('-');
            }
            grouped.append(text, i, Math.min(i + 7, text.length()));
        }
        assertEquals(id, NodeId.parse(grouped.toString().toLowerCase(Locale.ROOT)));
        assertEquals(id, NodeId.parse(grouped.toString()));
    }

    @Test
    void parsesLowerCaseUnderATurkishLocale() {
        NodeId id = NodeId.parse("I".repeat(51) + "A");
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertEquals(id, NodeId.parse(id.toString().toLowerCase(Locale.ROOT)));
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void shortFormIsTheFirstSevenCharacters() {
        NodeId id = id(2);
        assertEquals(id.toString().substring(0, 7), id.shortForm());
    }

    @Test
    void shortIdIsTheFirstEightBytesBigEndian() {
        NodeId id = id(3);
        assertEquals(ByteBuffer.wrap(id.hash().bytes()).getLong(), id.shortId());
        byte[] b = new byte[32];
        b[0] = (byte) 0x80;
        b[7] = 1;
        assertEquals(0x8000_0000_0000_0001L, new NodeId(Hash.of(b)).shortId());
    }

    @Test
    void isTheHashOfThePublicKey() {
        byte[] spki = {0x30, 0x59, 1, 2, 3};
        assertEquals(new NodeId(Hash.sha256(spki)), NodeId.ofPublicKey(spki));
    }

    @Test
    void ordersByHashBytesUnsigned() {
        byte[] low = new byte[32];
        byte[] high = new byte[32];
        high[0] = (byte) 0xFF;
        assertTrue(new NodeId(Hash.of(low)).compareTo(new NodeId(Hash.of(high))) < 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ABC", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "1AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAAAAAA"})
    void rejectsMalformedText(String text) {
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse(text));
    }
}
