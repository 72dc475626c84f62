package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealCodecTest {
    private static final SealedInfo SEAL = Samples.seal();
    private static final String PATH = SEAL.encryptedPath();

    @Test
    void roundTripsEveryField() {
        byte[] bytes = SealCodec.encode(SEAL);
        SealedInfo decoded = SealCodec.decode(bytes);
        assertEquals(SEAL, decoded);
        assertEquals(PATH, decoded.encryptedPath());
        assertEquals(SEAL.encryptedSize(), decoded.encryptedSize());
        assertEquals(SEAL.encryptedBlockHashes(), decoded.encryptedBlockHashes());
        assertEquals(SEAL.plainDigest(), decoded.plainDigest());
        assertArrayEquals(SEAL.signature(), decoded.signature());
        assertArrayEquals(SEAL.encryptedMetadata(), decoded.encryptedMetadata());
        assertArrayEquals(bytes, SealCodec.encode(decoded), "re-encoding gives the same bytes");
    }

    @Test
    void roundTripsASealWithNoBlocksAndNoMetadata() {
        SealedInfo bare = new SealedInfo("AA/BB/CC", 0, List.of(), Hash.sha256(new byte[0]),
                Samples.bytes(SealedInfo.SIGNATURE_BYTES, 3));
        assertEquals(bare, SealCodec.decode(SealCodec.encode(bare)));
    }

    @Test
    void metadataIsPartOfTheSeal() {
        SealedInfo other = new SealedInfo(PATH, SEAL.encryptedSize(), SEAL.encryptedBlockHashes(), SEAL.plainDigest(),
                SEAL.signature(), Samples.bytes(77, 99));
        assertNotEquals(SEAL, SealCodec.decode(SealCodec.encode(other)));
    }

    /** Pins the layout PROTOCOL.md documents. */
    @Test
    void encodesTheDocumentedLayout() {
        assertArrayEquals(WireCodecTest.rawSeal(SEAL), SealCodec.encode(SEAL));
        int expected = 2 + PATH.length() + 8 + 4 + 3 * Hash.LENGTH + Hash.LENGTH + SealedInfo.SIGNATURE_BYTES + 4 + 77;
        assertEquals(expected, SealCodec.encode(SEAL).length);
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] bytes = SealCodec.encode(SEAL);
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            int at = length;
            assertThrows(IllegalArgumentException.class, () -> SealCodec.decode(cut), () -> "truncated to " + at);
        }
        assertRejected(Arrays.copyOf(bytes, bytes.length - 1), "seal is truncated");
        assertRejected(new byte[0], "seal is truncated");
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = SealCodec.encode(SEAL);
        assertRejected(Arrays.copyOf(bytes, bytes.length + 1), "seal has 1 trailing bytes");
    }

    @Test
    void rejectsBlockHashCountOverLimitBeforeReadingThem() {
        assertRejected(head().i32(Limits.MAX_BLOCKS_PER_FILE + 1).toArray(),
                "sealed block hashes: " + (Limits.MAX_BLOCKS_PER_FILE + 1));
        assertRejected(head().i32(-1).toArray(), "sealed block hashes: -1");
        assertRejected(head().i32(Integer.MIN_VALUE).toArray(), "sealed block hashes");
        // A count within the limit but with no hashes behind it is a truncation, not an allocation.
        assertRejected(head().i32(Limits.MAX_BLOCKS_PER_FILE).toArray(), "seal is truncated");
    }

    @Test
    void rejectsMetadataLengthOverLimit() {
        assertRejected(tail().i32(SealedInfo.MAX_METADATA_BYTES + 1).toArray(),
                "sealed metadata: " + (SealedInfo.MAX_METADATA_BYTES + 1));
        assertRejected(tail().i32(-1).toArray(), "sealed metadata: -1");
        assertRejected(tail().i32(10).bytes(new byte[9]).toArray(), "seal is truncated");
    }

    @Test
    void rejectsFieldsSealedInfoRefuses() {
        byte[] good = SealCodec.encode(SEAL);
        byte[] rest = Arrays.copyOfRange(good, 2 + PATH.length(), good.length);
        assertRejected(new Raw().str("../x").bytes(rest).toArray(), "path");
        assertRejected(new Raw().str(".peersync/x").bytes(rest).toArray(), "path");
        assertRejected(new Raw().str("").bytes(rest).toArray(), "path");
        byte[] negativeSize = good.clone();
        Arrays.fill(negativeSize, 2 + PATH.length(), 2 + PATH.length() + 8, (byte) 0xFF);
        assertRejected(negativeSize, "encrypted size: -1");
    }

    @Test
    void rejectsAPathThatIsNotStrictUtf8() {
        byte[] good = SealCodec.encode(SEAL);
        byte[] rest = Arrays.copyOfRange(good, 2 + PATH.length(), good.length);
        for (byte[] bad : new byte[][] {{'A', 'A', '/', (byte) 0xFF}, {'A', '/', (byte) 0xC3, 0x28},
                {'A', '/', (byte) 0xED, (byte) 0xA0, (byte) 0x80}}) {
            assertRejected(new Raw().u16(bad.length).bytes(bad).bytes(rest).toArray(), "not valid UTF-8");
        }
    }

    @Test
    void sealedInfoRefusesMetadataOverLimit() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SealedInfo(PATH, 0, List.of(),
                SEAL.plainDigest(), SEAL.signature(), new byte[SealedInfo.MAX_METADATA_BYTES + 1]));
        assertTrue(e.getMessage().contains("encrypted metadata"), e.getMessage());
    }

    @Test
    void largestSealFitsItsLimit() {
        List<Hash> hashes = Collections.nCopies(Limits.MAX_BLOCKS_PER_FILE, SEAL.plainDigest());
        SealedInfo big = new SealedInfo(PATH, 0, hashes, SEAL.plainDigest(), SEAL.signature(),
                new byte[SealedInfo.MAX_METADATA_BYTES]);
        byte[] bytes = SealCodec.encode(big);
        assertTrue(bytes.length <= SealCodec.MAX_BYTES, bytes.length + " bytes");
        assertEquals(big, SealCodec.decode(bytes));
    }

    /** Path and encrypted size, ready for the block hash count. */
    private static Raw head() {
        return new Raw().str(PATH).i64(SEAL.encryptedSize());
    }

    /** Everything up to the metadata length. */
    private static Raw tail() {
        Raw raw = head().i32(0).bytes(SEAL.plainDigest().bytes()).bytes(SEAL.signature());
        return raw;
    }

    private static void assertRejected(byte[] bytes, String expectedInMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SealCodec.decode(bytes));
        assertTrue(e.getMessage().contains(expectedInMessage),
                () -> "message '" + e.getMessage() + "' (expected to contain '" + expectedInMessage + "')");
    }
}
