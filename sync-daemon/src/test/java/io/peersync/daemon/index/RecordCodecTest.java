package io.peersync.daemon.index;

import static io.peersync.daemon.index.Records.dir;
import static io.peersync.daemon.index.Records.file;
import static io.peersync.daemon.index.Records.node;
import static io.peersync.daemon.index.Records.symlink;
import static io.peersync.daemon.index.Records.version;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.NodeId;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.SealCodec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private static final NodeId A = node("a");
    private static final NodeId B = node("b");

    private static FileRecord sample() {
        return file("dir/ünïcode name.txt", "hello block world", version(A, 3, B, 2), A).withSequence(42);
    }

    @Test
    void roundTripsEveryKindOfRecord() {
        List<FileRecord> records = List.of(
                sample(),
                file("empty", "", VersionVector.EMPTY, B),
                dir("dir", version(A, 1), A).withSequence(Long.MAX_VALUE),
                symlink("link", "dir/target", version(B, 7), B),
                Records.deleted(sample(), version(A, 4, B, 2), A),
                new FileRecord("neg", FileType.FILE, 0, -5, 07777, version(A, 1), false, -1, -1L, -1,
                        List.of(), io.peersync.protocol.Hash.sha256(new byte[0]), ""));
        for (FileRecord r : records) {
            assertEquals(r, RecordCodec.decode(RecordCodec.encode(r)));
        }
    }

    @Test
    void storesTheVersionOfAFileThatThousandsOfNodesWrote() {
        java.util.Map<Long, Long> counters = new java.util.HashMap<>();
        for (long node = 1; node <= 3000; node++) {
            counters.put(node * 7919, node);
        }
        FileRecord r = file("wp-config-shared.php", "x", VersionVector.of(counters), A);
        assertEquals(r, RecordCodec.decode(RecordCodec.encode(r)));
    }

    /** Made-up but well-formed seal fields: the codec stores them, it does not check signatures. */
    private static SealedInfo seal(int blocks, int metadataBytes) {
        List<Hash> hashes = new java.util.ArrayList<>();
        for (int i = 0; i < blocks; i++) {
            hashes.add(Hash.sha256(new byte[] {(byte) i}));
        }
        byte[] signature = new byte[SealedInfo.SIGNATURE_BYTES];
        Arrays.fill(signature, (byte) 0x5A);
        byte[] metadata = new byte[metadataBytes];
        for (int i = 0; i < metadata.length; i++) {
            metadata[i] = (byte) (i * 31);
        }
        return new SealedInfo("AB/CD/EFGHIJKLMN", blocks * 4L + blocks * 28L, hashes, Hash.sha256(new byte[] {9}),
                signature, metadata);
    }

    private static FileRecord sealedSample() {
        return sample().withSealed(seal(sample().blocks().size(), 120));
    }

    @Test
    void roundTripsSealedRecordsOfEveryKind() {
        List<FileRecord> records = List.of(
                sealedSample(),
                dir("dir", version(A, 1), A).withSealed(seal(0, 0)),
                symlink("link", "dir/target", version(B, 7), B).withSealed(seal(0, 60)),
                Records.deleted(sample(), version(A, 4, B, 2), A).withSealed(seal(0, 90)));
        for (FileRecord r : records) {
            FileRecord decoded = RecordCodec.decode(RecordCodec.encode(r));
            assertEquals(r, decoded);
            assertArrayEquals(r.sealed().encryptedMetadata(), decoded.sealed().encryptedMetadata());
            assertArrayEquals(r.sealed().signature(), decoded.sealed().signature());
        }
    }

    @Test
    void sealFollowsTheTargetAsALengthPrefixedSealCodecBlob() {
        FileRecord plain = sample();
        FileRecord sealed = sealedSample();
        byte[] without = RecordCodec.encode(plain);
        byte[] with = RecordCodec.encode(sealed);
        byte[] blob = SealCodec.encode(sealed.sealed());
        assertEquals(0, without[2] & 4, "no seal flag");
        assertEquals(4, with[2] & 4, "seal flag is bit 2");
        // Everything but the flags byte is the unsealed encoding, then varint length, then the blob.
        assertArrayEquals(Arrays.copyOfRange(without, 3, without.length), Arrays.copyOfRange(with, 3, without.length));
        int varintBytes = with.length - without.length - blob.length;
        assertEquals(blob.length < 128 ? 1 : 2, varintBytes);
        assertArrayEquals(blob, Arrays.copyOfRange(with, without.length + varintBytes, with.length));
    }

    @Test
    void rejectsEveryTruncationOfASealedRecord() {
        byte[] bytes = RecordCodec.encode(sealedSample());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThrows(IndexException.class, () -> RecordCodec.decode(cut), "truncated to " + len);
        }
    }

    @Test
    void rejectsSealFlagWithoutASeal() {
        byte[] bytes = RecordCodec.encode(sample());
        bytes[2] |= 4;
        assertThrows(IndexException.class, () -> RecordCodec.decode(bytes));
    }

    @Test
    void rejectsSealLengthBeyondTheBytesAndACorruptSeal() {
        byte[] plain = RecordCodec.encode(sample());
        byte[] with = RecordCodec.encode(sealedSample());
        int blobLength = SealCodec.encode(sealedSample().sealed()).length;
        // The blob is over 127 bytes: a two-byte varint sits right after the unsealed encoding.
        assertTrue(blobLength >= 128 && blobLength < 16384, "blob length " + blobLength);
        byte[] tooLong = with.clone();
        tooLong[plain.length] = (byte) (((blobLength + 1) & 0x7F) | 0x80);
        tooLong[plain.length + 1] = (byte) ((blobLength + 1) >>> 7);
        IndexException e = assertThrows(IndexException.class, () -> RecordCodec.decode(tooLong));
        assertTrue(e.getMessage().contains("seal length"), e.getMessage());

        byte[] badPath = with.clone();
        // The seal's path length is the blob's first two bytes: make it point past the blob.
        badPath[plain.length + 2] = (byte) 0x7F;
        IndexException corrupt = assertThrows(IndexException.class, () -> RecordCodec.decode(badPath));
        assertTrue(corrupt.getMessage().contains("corrupt file record"), corrupt.getMessage());
    }

    @Test
    void startsWithTheFormatByteAndIsCompact() {
        byte[] bytes = RecordCodec.encode(sample());
        assertEquals(RecordCodec.FORMAT_1, bytes[0]);
        // 5 blocks * 34 bytes + file hash 32 + path + small fields: well under twice the raw hashes.
        assertTrue(bytes.length < 300, "encoded length " + bytes.length);
    }

    @Test
    void rejectsEveryTruncation() {
        byte[] bytes = RecordCodec.encode(sample());
        for (int len = 0; len < bytes.length; len++) {
            byte[] cut = Arrays.copyOf(bytes, len);
            assertThrows(IndexException.class, () -> RecordCodec.decode(cut), "truncated to " + len);
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = RecordCodec.encode(sample());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        IndexException e = assertThrows(IndexException.class, () -> RecordCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void rejectsUnknownFormatTypeAndFlags() {
        byte[] bytes = RecordCodec.encode(sample());
        for (int[] poke : new int[][] {{0, 2}, {0, 0}, {1, 9}, {2, 0x80}, {2, 8}}) {
            byte[] bad = bytes.clone();
            bad[poke[0]] = (byte) poke[1];
            assertThrows(IndexException.class, () -> RecordCodec.decode(bad), "byte " + poke[0] + " = " + poke[1]);
        }
    }

    @Test
    void rejectsFieldsTheRecordItselfWouldRefuse() {
        FileRecord r = file("abc", "x", version(A, 1), A);
        byte[] bytes = RecordCodec.encode(r);
        // path "abc" sits after format, type, flags and its one-byte length; ".." + "c" is not a safe path
        assertEquals('a', bytes[4]);
        bytes[4] = '.';
        bytes[5] = '.';
        bytes[6] = '/';
        IndexException e = assertThrows(IndexException.class, () -> RecordCodec.decode(bytes));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = RecordCodec.encode(file("abc", "x", version(A, 1), A));
        bytes[5] = (byte) 0xC3;
        bytes[6] = (byte) 0x28;
        assertThrows(IndexException.class, () -> RecordCodec.decode(bytes));
    }

    @Test
    void rejectsVarintsOverSixtyFourBits() {
        byte[] bad = {1, 0, 0, 1, 'a', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02};
        IndexException e = assertThrows(IndexException.class, () -> RecordCodec.decode(bad));
        assertTrue(e.getMessage().contains("64 bits"), e.getMessage());
    }

    @Test
    void rejectsLengthsBeyondTheBytes() {
        byte[] bytes = RecordCodec.encode(file("abc", "x", version(A, 1), A));
        bytes[3] = (byte) 0x7F; // path length 127 > remaining bytes is fine only if there were that many
        byte[] small = Arrays.copyOf(bytes, 40);
        assertThrows(IndexException.class, () -> RecordCodec.decode(small));
    }
}
