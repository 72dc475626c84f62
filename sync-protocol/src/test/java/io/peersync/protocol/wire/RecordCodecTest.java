package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** {@link RecordCodec}: the index's byte form of a record, which is also the wire's. */
class RecordCodecTest {
    private static final long A = 0x0a0a_0a0a_0a0a_0a0aL;
    private static final long B = 0xb0b0_b0b0_b0b0_b0b0L;
    private static final long MTIME = 1_700_000_000_000_000_000L;

    private static FileRecord sample() {
        return file("dir/ünïcode name.txt", "hello block world", version(A, 3, B, 2), A).withSequence(42);
    }

    /** Node and counter pairs. */
    private static VersionVector version(long... pairs) {
        Map<Long, Long> counters = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            counters.put(pairs[i], pairs[i + 1]);
        }
        return VersionVector.of(counters);
    }

    /** A file cut into blocks of 4 bytes, with real hashes. */
    private static FileRecord file(String path, String content, VersionVector version, long by) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        List<BlockRef> blocks = new ArrayList<>();
        for (int off = 0; off < data.length; off += 4) {
            int len = Math.min(4, data.length - off);
            blocks.add(new BlockRef(off, len, Hash.sha256(data, off, len)));
        }
        return new FileRecord(path, FileType.FILE, data.length, MTIME, 0644, version, false, 0, by, 4, blocks,
                Hash.sha256(data), "");
    }

    private static FileRecord dir(String path, VersionVector version, long by) {
        return new FileRecord(path, FileType.DIRECTORY, 0, MTIME, 0755, version, false, 0, by, 0, List.of(), null, "");
    }

    private static FileRecord symlink(String path, String target, VersionVector version, long by) {
        return new FileRecord(path, FileType.SYMLINK, 0, MTIME, 0777, version, false, 0, by, 0, List.of(), null,
                target);
    }

    private static FileRecord deleted(FileRecord of, VersionVector version, long by) {
        return of.asDeleted(version, 0, by, MTIME + 1);
    }

    @Test
    void roundTripsEveryKindOfRecord() {
        List<FileRecord> records = List.of(
                sample(),
                file("empty", "", VersionVector.EMPTY, B),
                dir("dir", version(A, 1), A).withSequence(Long.MAX_VALUE),
                symlink("link", "dir/target", version(B, 7), B),
                deleted(sample(), version(A, 4, B, 2), A),
                new FileRecord("neg", FileType.FILE, 0, -5, 07777, version(A, 1), false, -1, -1L,
                        Limits.MAX_BLOCK_SIZE, List.of(), Hash.sha256(new byte[0]), ""),
                sample().withChangeSet(-7, FileRecord.MAX_CHANGE_SET),
                sample().withChangeSet(0x1234_5678_9abc_def0L, 0));
        for (FileRecord r : records) {
            assertEquals(r, RecordCodec.decode(RecordCodec.encode(r)));
        }
    }

    @Test
    void storesTheVersionOfAFileThatThousandsOfNodesWrote() {
        Map<Long, Long> counters = new TreeMap<>();
        for (long node = 1; node <= 3000; node++) {
            counters.put(node * 7919, node);
        }
        FileRecord r = file("wp-config-shared.php", "x", VersionVector.of(counters), A);
        assertEquals(r, RecordCodec.decode(RecordCodec.encode(r)));
    }

    /** Made-up but well-formed seal fields: the codec stores them, it does not check signatures. */
    private static SealedInfo seal(int blocks, int metadataBytes) {
        List<Hash> hashes = new ArrayList<>();
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
                deleted(sample(), version(A, 4, B, 2), A).withSealed(seal(0, 90)));
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
    void rejectsSealFlagWithoutASeal() {
        byte[] bytes = RecordCodec.encode(sample());
        bytes[2] |= 4;
        assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bytes));
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
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(tooLong));
        assertTrue(e.getMessage().contains("seal length"), e.getMessage());

        byte[] badPath = with.clone();
        // The seal's path length is the blob's first two bytes: make it point past the blob.
        badPath[plain.length + 2] = (byte) 0x7F;
        RecordFormatException corrupt = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(badPath));
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
    void rejectsEveryTruncationOfAPlainAndASealedRecord() {
        for (FileRecord r : List.of(sample(), sealedSample())) {
            byte[] bytes = RecordCodec.encode(r);
            for (int len = 0; len < bytes.length; len++) {
                byte[] cut = Arrays.copyOf(bytes, len);
                assertThrows(RecordFormatException.class, () -> RecordCodec.decode(cut), "truncated to " + len);
            }
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] bytes = RecordCodec.encode(sample());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(longer));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void rejectsUnknownFormatTypeAndFlags() {
        byte[] bytes = RecordCodec.encode(sample());
        for (int[] poke : new int[][] {{0, 2}, {0, 0}, {1, 9}, {2, 0x80}, {2, 8}}) {
            byte[] bad = bytes.clone();
            bad[poke[0]] = (byte) poke[1];
            assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bad), "byte " + poke[0] + " = " + poke[1]);
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
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bytes));
        assertTrue(e.getMessage().contains("path"), e.getMessage());
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = RecordCodec.encode(file("abc", "x", version(A, 1), A));
        bytes[5] = (byte) 0xC3;
        bytes[6] = (byte) 0x28;
        assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bytes));
    }

    @Test
    void rejectsVarintsOverSixtyFourBits() {
        byte[] bad = {1, 0, 0, 1, 'a', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x02};
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bad));
        assertTrue(e.getMessage().contains("64 bits"), e.getMessage());
    }

    @Test
    void rejectsLengthsBeyondTheBytes() {
        byte[] bytes = RecordCodec.encode(file("abc", "x", version(A, 1), A));
        bytes[3] = (byte) 0x7F; // path length 127 > remaining bytes is fine only if there were that many
        byte[] small = Arrays.copyOf(bytes, 40);
        assertThrows(RecordFormatException.class, () -> RecordCodec.decode(small));
    }

    /** Format 1 exactly as the daemon's index has always stored it: these bytes must keep decoding. */
    @Test
    void pinsFormatOneBytes() {
        Hash first = Hash.of(filled(0x11));
        Hash second = Hash.of(filled(0x22));
        Hash whole = Hash.of(filled(0x33));
        FileRecord r = new FileRecord("a/b", FileType.FILE, 5, -3, 0644, version(1, 2), false, 300,
                0x0102_0304_0506_0708L, 4, List.of(new BlockRef(0, 4, first), new BlockRef(4, 1, second)), whole, "",
                null, 0xFF, 2);
        String hex = "01" + "00" + "0a" // format 1, FILE, flags: file hash and change set
                + "03" + "612f62" // path "a/b"
                + "05" + "05" + "a403" + "ac02" // size 5, mtime -3 zig-zagged, mode 0644, sequence 300
                + "0102030405060708" + "04" // modifiedBy, block size
                + "01" + "0000000000000001" + "02" // one version entry: node 1, counter 2
                + "33".repeat(32) // file hash
                + "02" + "00" + "04" + "11".repeat(32) + "04" + "01" + "22".repeat(32) // two blocks
                + "00" // empty target
                + "00000000000000ff" + "02"; // change set 0xFF of 2
        byte[] pinned = HexFormat.of().parseHex(hex);
        assertArrayEquals(pinned, RecordCodec.encode(r));
        assertEquals(r, RecordCodec.decode(pinned));
    }

    private static byte[] filled(int b) {
        byte[] bytes = new byte[Hash.LENGTH];
        Arrays.fill(bytes, (byte) b);
        return bytes;
    }

    @Test
    void encodeRefusesWhatDecodeWouldRefuse() {
        FileRecord d = dir("d", version(A, 1), A);
        Hash h = Hash.sha256(new byte[0]);
        List<FileRecord> over = List.of(
                withBlockSize(d, -1),
                withBlockSize(d, Limits.MAX_BLOCK_SIZE + 1),
                new FileRecord("f", FileType.FILE, Limits.MAX_BLOCK_SIZE + 1L, MTIME, 0644, d.version(), false, 0, A,
                        4, List.of(new BlockRef(0, Limits.MAX_BLOCK_SIZE + 1, h)), h, ""),
                new FileRecord("gone", FileType.FILE, 0, MTIME, 0644, d.version(), true, 0, A, 4,
                        Collections.nCopies(Limits.MAX_BLOCKS_PER_FILE + 1, new BlockRef(0, 0, h)), null, ""),
                symlink("link", "t".repeat(FolderPath.MAX_BYTES + 1), d.version(), A));
        for (FileRecord r : over) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordCodec.encode(r));
            assertTrue(e.getMessage().startsWith("file record "), e.getMessage());
        }
    }

    private static FileRecord withBlockSize(FileRecord r, int blockSize) {
        return new FileRecord(r.path(), r.type(), r.size(), r.mtimeNanos(), r.mode(), r.version(), r.deleted(),
                r.sequence(), r.modifiedBy(), blockSize, r.blocks(), r.fileHash(), r.target());
    }

    @Test
    void rejectsVarintsNotInTheirShortestForm() {
        byte[] bytes = RecordCodec.encode(dir("d", version(A, 1), A));
        // path length 1 written as 0x81 0x00: the same number, one byte longer
        byte[] padded = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, padded, 0, 3);
        padded[3] = (byte) 0x81;
        padded[4] = 0;
        System.arraycopy(bytes, 4, padded, 5, bytes.length - 4);
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(padded));
        assertTrue(e.getMessage().contains("shortest form"), e.getMessage());
    }

    /** A hostile count is checked against the bytes left before a list is allocated for it. */
    @Test
    void rejectsABlockCountTheBytesCannotHold() {
        RawRecord raw = new RawRecord();
        raw.blockCount = (long) Limits.MAX_BLOCKS_PER_FILE;
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(raw.toArray()));
        assertTrue(e.getMessage().contains("what the bytes left can hold"), e.getMessage());
    }

    @Test
    void failuresAreOneUncheckedTypeWithOneSentence() {
        byte[] bytes = RecordCodec.encode(sample());
        bytes[1] = 9;
        RecordFormatException e = assertThrows(RecordFormatException.class, () -> RecordCodec.decode(bytes));
        assertInstanceOf(IllegalArgumentException.class, e);
        assertEquals("corrupt file record: file type: 9 (expected: 0, 1 or 2)", e.getMessage());
    }
}
