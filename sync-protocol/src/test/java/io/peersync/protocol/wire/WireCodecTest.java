package io.peersync.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderPath;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.Message.BlockRequest;
import io.peersync.protocol.wire.Message.BlockResponse;
import io.peersync.protocol.wire.Message.Close;
import io.peersync.protocol.wire.Message.Hello;
import io.peersync.protocol.wire.Message.IndexUpdate;
import io.peersync.protocol.wire.Message.Membership;
import io.peersync.protocol.wire.Message.MembershipRejected;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class WireCodecTest {
    private final TrackingAllocator alloc = new TrackingAllocator();

    @AfterEach
    void releasedEveryBuffer() {
        alloc.assertAllReleased();
    }

    // ---- round trips -------------------------------------------------------------------------------------------

    static List<Message> everyMessage() {
        return Samples.everyMessage();
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void roundTripsEveryMessage(Message message) {
        byte[] frame = encode(message);
        Message decoded = decode(frame);
        assertEquals(message, decoded);
        assertArrayEquals(frame, encode(decoded), "re-encoding gives the same bytes");
    }

    @Test
    void roundTripsRecordsOfEveryKind() {
        IndexUpdate decoded = (IndexUpdate) decode(encode(Samples.indexUpdate()));
        List<FileRecord> records = decoded.records();
        assertEquals(Samples.indexUpdate().records(), records);
        FileRecord file = records.get(0);
        assertEquals(3, file.blocks().size());
        assertEquals(256, file.blocks().get(2).offset(), "each block carries its offset");
        assertEquals(Hash.sha256(Samples.bytes(300, 7), 128, 128), file.blocks().get(1).hash());
        assertEquals(Map.of(Samples.NODE_A, 3L, Samples.NODE_B, 1L, Samples.NODE_HIGH, 7L), file.version().counters());
        assertTrue(records.get(4).deleted());
        assertEquals("report ü.txt", records.get(3).target());
        assertEquals(null, records.get(0).sealed());
        assertEquals(Samples.seal(), records.get(5).sealed());
    }

    @Test
    void roundTripsASealedRecordWithItsMetadataBytes() {
        FileRecord sealed = Samples.sealedFile();
        IndexUpdate decoded = (IndexUpdate) decode(encode(new IndexUpdate(Samples.FOLDER, true, List.of(sealed))));
        FileRecord r = decoded.records().get(0);
        assertEquals(sealed, r);
        assertArrayEquals(Samples.seal().encryptedMetadata(), r.sealed().encryptedMetadata());
        assertArrayEquals(Samples.seal().signature(), r.sealed().signature());
        assertEquals(Samples.seal().encryptedBlockHashes(), r.sealed().encryptedBlockHashes());
    }

    @Test
    void roundTripsASealWithoutMetadataOrBlocks() {
        SealedInfo bare = new SealedInfo("AA/BB/CC", 0, List.of(), Hash.sha256(new byte[0]),
                Samples.bytes(SealedInfo.SIGNATURE_BYTES, 20));
        FileRecord dir = Samples.directory().withSealed(bare);
        IndexUpdate decoded = (IndexUpdate) decode(encode(new IndexUpdate(Samples.FOLDER, true, List.of(dir))));
        assertEquals(dir, decoded.records().get(0));
        assertEquals(0, decoded.records().get(0).sealed().encryptedMetadata().length);
    }

    /** Pins the byte layout that PROTOCOL.md documents, field by field. */
    @Test
    void encodesTheDocumentedLayout() {
        FileRecord r = Samples.multiBlockFile();
        byte[] record = new RawRecord().toArray();
        Raw raw = new Raw().u8(4).bytes(Samples.FOLDER.bytes()).u8(1).i32(1).i32(record.length).bytes(record);
        IndexUpdate update = new IndexUpdate(Samples.FOLDER, true, List.of(r));
        assertArrayEquals(raw.toArray(), encode(update));

        Hello hello = (Hello) Samples.everyMessage().get(0);
        Raw h = new Raw().u8(1).u16(2).str("peersync 0.1.0").u16(22000).bytes(hello.nonce()).u16(3)
                .str("192.0.2.7:22000").str("[2001:db8::1]:22000").str("nas.example:22001");
        assertArrayEquals(h.toArray(), encode(hello));

        RawRecord withSeal = new RawRecord();
        withSeal.seal = rawSeal(Samples.seal());
        byte[] sealedRecord = withSeal.toArray();
        Raw sealed = new Raw().u8(4).bytes(Samples.FOLDER.bytes()).u8(1).i32(1).i32(sealedRecord.length)
                .bytes(sealedRecord);
        assertArrayEquals(sealed.toArray(),
                encode(new IndexUpdate(Samples.FOLDER, true, List.of(Samples.sealedFile()))));

        assertArrayEquals(new Raw().u8(6).i32(5).u8(3).i32(0).toArray(),
                encode(BlockResponse.failed(5, BlockResponse.Status.ERROR)));
        assertArrayEquals(new Raw().u8(7).toArray(), encode(new Message.Ping()));
        assertArrayEquals(new Raw().u8(8).str("bye").toArray(), encode(new Close("bye")));
        assertArrayEquals(new Raw().u8(9).bytes(Samples.FOLDER.bytes()).u16(2).str("10.0.0.2:41001")
                .str("[::1]:41001").toArray(),
                encode(new Message.FolderPeers(Samples.FOLDER, List.of("10.0.0.2:41001", "[::1]:41001"))));
    }

    // ---- malformed input ---------------------------------------------------------------------------------------

    @Test
    void rejectsEveryTruncationOfAnIndexUpdate() {
        byte[] frame = encode(Samples.indexUpdate());
        for (int length = 0; length < frame.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(frame, length);
            int at = length;
            assertThrows(ProtocolException.class, () -> decode(cut), () -> "truncated to " + at + " bytes");
        }
    }

    @Test
    void rejectsTrailingBytes() {
        byte[] frame = encode(new Message.Ping());
        byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 1);
        assertRejected(longer, "trailing");
        byte[] update = encode(Samples.indexUpdate());
        assertRejected(java.util.Arrays.copyOf(update, update.length + 3), "trailing");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 10, 127, 255})
    void rejectsUnknownType(int type) {
        assertRejected(new Raw().u8(type).toArray(), "unknown message type");
    }

    @Test
    void rejectsFolderPeersOverLimit() {
        byte[] frame = new Raw().u8(9).bytes(Samples.FOLDER.bytes()).u16(Limits.MAX_KNOWN_PEERS + 1).toArray();
        assertRejected(frame, "folder peers: " + (Limits.MAX_KNOWN_PEERS + 1));
    }

    @Test
    void rejectsRecordCountOverLimit() {
        byte[] frame = indexHeader().i32(Limits.MAX_RECORDS_PER_UPDATE + 1).toArray();
        assertRejected(frame, "records: " + (Limits.MAX_RECORDS_PER_UPDATE + 1));
    }

    @Test
    void rejectsNegativeRecordCount() {
        assertRejected(indexHeader().i32(-1).toArray(), "records: -1");
        assertRejected(indexHeader().i32(Integer.MIN_VALUE).toArray(), "records");
    }

    @Test
    void rejectsBlockSizeOverLimit() {
        assertRejected(update(r -> r.blockSize = Limits.MAX_BLOCK_SIZE + 1), "block size");
        assertRejected(update(r -> r.blockSize = 0xFFFF_FFFFL), "block size"); // -1 as an unsigned 32-bit value
        assertRejected(update(r -> r.blockSizes = new long[] {Limits.MAX_BLOCK_SIZE + 1}), "size of block 0");
        assertRejected(update(r -> r.blockCount = (long) Limits.MAX_BLOCKS_PER_FILE + 1), "block count");
    }

    /** A count far beyond what the bytes behind it could hold is refused before anything is allocated for it. */
    @Test
    void rejectsCountsTheRecordCannotHold() {
        assertRejected(update(r -> r.blockCount = (long) Limits.MAX_BLOCKS_PER_FILE), "what the bytes left can hold");
        assertRejected(update(r -> r.blockCount = Long.MAX_VALUE), "block count");
        assertRejected(update(r -> r.vectorCount = (long) VersionVector.MAX_ENTRIES + 1), "version entries");
    }

    @Test
    void rejectsStringLengthOverLimit() {
        byte[] reason = new byte[Limits.MAX_REASON + 1];
        java.util.Arrays.fill(reason, (byte) 'x');
        assertRejected(new Raw().u8(8).u16(reason.length).bytes(reason).toArray(), "string length");
        byte[] client = new byte[Limits.MAX_SHORT_STRING + 1];
        assertRejected(new Raw().u8(1).u16(1).u16(client.length).bytes(client).toArray(), "string length");
        // A long prefix with no bytes behind it is rejected without reading on.
        assertRejected(new Raw().u8(8).u16(0xFFFF).toArray(), "string length");
        String tooLong = "x".repeat(FolderPath.MAX_BYTES + 1);
        assertRejected(update(r -> r.path = tooLong), "path length");
        assertRejected(update(r -> r.target = tooLong), "target length");
    }

    @Test
    void rejectsInvalidUtf8() {
        assertRejected(new Raw().u8(8).u16(2).u8(0xC3).u8(0x28).toArray(), "UTF-8");
        assertRejected(new Raw().u8(8).u16(1).u8(0xFF).toArray(), "UTF-8");
        // An encoded surrogate half (CESU-style) is not UTF-8 either.
        assertRejected(new Raw().u8(8).u16(3).u8(0xED).u8(0xA0).u8(0x80).toArray(), "UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "a/../../b", "../etc/passwd", "/etc/passwd", ".peersync/index", ".peersync",
            ".PeerSync/keys", "a//b", "a/", "./a", "a\\..\\b", "a\0b"})
    void rejectsUnsafeRecordPath(String path) {
        assertRejected(update(r -> r.path = path), "path");
    }

    @Test
    void rejectsUnsafeBlockRequestPath() {
        assertRejected(blockRequest("../secret", 0, 1), "path");
        assertRejected(blockRequest("/etc/shadow", 0, 1), "path");
        assertRejected(blockRequest(".peersync/index", 0, 1), "path");
    }

    @Test
    void rejectsBlockRequestWithNegativeOffsetOrBadSize() {
        assertRejected(blockRequest("a", -1, 1), "offset -1");
        assertRejected(blockRequest("a", Long.MIN_VALUE, 1), "offset");
        assertRejected(blockRequest("a", 0, -1), "size -1");
        assertRejected(blockRequest("a", 0, Limits.MAX_BLOCK_SIZE + 1), "size");
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5, 255})
    void rejectsUnknownBlockResponseStatus(int status) {
        assertRejected(new Raw().u8(6).i32(1).u8(status).i32(0).toArray(), "status");
    }

    @Test
    void rejectsDataInAFailedBlockResponse() {
        assertRejected(new Raw().u8(6).i32(1).u8(1).i32(2).u8(0).u8(0).toArray(), "NOT_FOUND");
    }

    @Test
    void rejectsBlockResponseDataLongerThanFrame() {
        assertRejected(new Raw().u8(6).i32(1).u8(0).i32(1000).u8(1).toArray(), "exceeds the frame");
        assertRejected(new Raw().u8(6).i32(1).u8(0).i32(Limits.MAX_BLOCK_SIZE + 1).toArray(), "field length");
        assertRejected(new Raw().u8(6).i32(1).u8(0).i32(-1).toArray(), "field length");
    }

    @Test
    void rejectsRecordWhoseBlocksDoNotAddUpToItsSize() {
        assertRejected(update(r -> r.size = 301), "cover 300 bytes");
        assertRejected(update(r -> r.size = 299), "cover 300 bytes");
        assertRejected(update(r -> r.blockSizes = new long[] {128, 128, 43}), "cover 299 bytes");
        assertRejected(update(r -> r.offsets = new long[] {0, 128, 200}), "not contiguous at 256");
    }

    @Test
    void rejectsOtherInvalidRecordFields() {
        assertRejected(update(r -> r.type = 3), "file type");
        assertRejected(update(r -> r.mode = 010000), "mode");
        assertRejected(update(r -> r.size = -1), "size");
        assertRejected(update(r -> r.counters = new long[][] {{1, -5}}), "version counter");
        assertRejected(update(r -> r.counters = new long[][] {{1, 0}}), "version counter: 0");
        assertRejected(update(r -> r.counters = new long[][] {{1, 1}, {1, 2}}), "out of order");
        assertRejected(update(r -> r.counters = new long[][] {{2, 1}, {1, 2}}), "out of order");
        assertRejected(update(r -> r.fileHash = null), "no file hash");
        assertRejected(update(r -> r.format = 2), "format: 2");
        assertRejected(update(r -> r.flags = 0x12), "flags");
        assertRejected(update(r -> r.mode = 1L << 32), "32-bit field");
    }

    @Test
    void rejectsSealLengthOverLimitOrBeyondTheRecord() {
        assertRejected(update(r -> {
            r.seal = new byte[0];
            r.sealLength = (long) SealCodec.MAX_BYTES + 1;
        }), "seal length");
        assertRejected(update(r -> {
            r.seal = new byte[0];
            r.sealLength = -1L;
        }), "seal length");
        assertRejected(update(r -> {
            r.seal = rawSeal(Samples.seal());
            r.sealLength = r.seal.length + 1L; // the record's length ends the blob one byte early
        }), "seal length");
    }

    @Test
    void rejectsRecordLengthOverLimitOrBeyondTheFrame() {
        byte[] record = new RawRecord().toArray();
        assertRejected(indexHeader().i32(1).i32(Limits.MAX_RECORD_BYTES + 1).bytes(record).toArray(), "field length");
        assertRejected(indexHeader().i32(1).i32(-1).bytes(record).toArray(), "field length");
        assertRejected(indexHeader().i32(1).i32(record.length + 1).bytes(record).toArray(), "exceeds the frame");
        // A length that ends inside the record: the rest is not a second record but the frame's trailing bytes.
        assertRejected(indexHeader().i32(1).i32(record.length - 1).bytes(record).toArray(), "truncated");
    }

    @Test
    void rejectsMalformedSeal() {
        byte[] good = rawSeal(Samples.seal());
        assertRejected(update(r -> r.seal = java.util.Arrays.copyOf(good, good.length + 1)), "trailing");
        assertRejected(update(r -> r.seal = java.util.Arrays.copyOf(good, good.length - 1)), "seal is truncated");
        assertRejected(update(r -> r.seal = new byte[0]), "seal is truncated");
        byte[] unsafePath = new Raw().str("../etc").bytes(java.util.Arrays.copyOfRange(good,
                2 + "AB/CD/EFGHIJKLMNOP".length(), good.length)).toArray();
        assertRejected(update(r -> r.seal = unsafePath), "path");
    }

    /** Since protocol version 2 a record travels as exactly the bytes the daemon's index stores. */
    @ParameterizedTest
    @MethodSource("everyRecord")
    void aRecordOnTheWireIsItsRecordCodecBytes(FileRecord r) {
        byte[] record = RecordCodec.encode(r);
        byte[] expected = indexHeader().i32(1).i32(record.length).bytes(record).toArray();
        assertArrayEquals(expected, encode(new IndexUpdate(Samples.FOLDER, true, List.of(r))));
    }

    static List<FileRecord> everyRecord() {
        return Samples.indexUpdate().records();
    }

    @Test
    void unsealedRecordHasNoSealFlag() {
        byte[] record = new RawRecord().toArray();
        assertEquals(0, record[2] & 4);
        IndexUpdate u = (IndexUpdate) decode(indexHeader().i32(1).i32(record.length).bytes(record).toArray());
        assertEquals(null, u.records().get(0).sealed());
    }

    @Test
    void roundTripsAChangeSet() {
        IndexUpdate u = (IndexUpdate) decode(update(r -> {
            r.changeSet = 0x1234_5678_9ABC_DEF1L;
            r.changeSetSize = 1000;
        }));
        assertEquals(0x1234_5678_9ABC_DEF1L, u.records().get(0).changeSet());
        assertEquals(1000, u.records().get(0).changeSetSize());
        IndexUpdate again = (IndexUpdate) decode(encode(u));
        assertEquals(u, again);
    }

    @Test
    void rejectsChangeSetSizeOverLimit() {
        assertThrows(ProtocolException.class, () -> decode(update(r -> r.changeSetSize = FileRecord.MAX_CHANGE_SET + 1)));
    }

    @Test
    void carriesTheVersionOfAFileThatThousandsOfNodesWrote() {
        long[][] many = new long[3000][];
        for (int i = 0; i < many.length; i++) {
            many[i] = new long[] {1000 + i, i + 1};
        }
        IndexUpdate u = (IndexUpdate) decode(update(r -> r.counters = many));
        assertEquals(3000, u.records().get(0).version().counters().size());
        assertEquals(3000L, u.records().get(0).version().counter(3999));
        assertEquals(u, decode(encode(u)));
    }

    @Test
    void roundTripsAChangeSetIdWithoutASize() {
        FileRecord r = Samples.multiBlockFile().withChangeSet(77, 0);
        IndexUpdate u = (IndexUpdate) decode(encode(new IndexUpdate(Samples.FOLDER, true, List.of(r))));
        assertEquals(r, u.records().get(0));
        assertRejected(update(x -> x.flags = 2 | 8), "change set flag without a change set");
    }

    // ---- encoding limits ---------------------------------------------------------------------------------------

    @Test
    void encodeRefusesOversizedFields() {
        String longString = "x".repeat(Limits.MAX_SHORT_STRING + 1);
        byte[] nonce = Samples.bytes(Limits.NONCE_BYTES, 1);
        assertEncodeRefused(new Hello(1, longString, 1, nonce, List.of()));
        assertEncodeRefused(new Hello(1, "c", 1, nonce, List.of(longString)));
        assertEncodeRefused(new Hello(1, "c", 1, nonce, Collections.nCopies(Limits.MAX_KNOWN_PEERS + 1, "h:1")));
        assertEncodeRefused(new Hello(1, "c", 1, new byte[Limits.NONCE_BYTES - 1], List.of()));
        assertEncodeRefused(new Message.FolderPeers(Samples.FOLDER,
                Collections.nCopies(Limits.MAX_KNOWN_PEERS + 1, "h:1")));
        assertEncodeRefused(new Message.FolderPeers(Samples.FOLDER, List.of(longString)));
        assertEncodeRefused(new Hello(1, "c", 65536, nonce, List.of()));
        assertEncodeRefused(new Hello(65536, "c", 1, nonce, List.of()));
        assertEncodeRefused(new Membership(Samples.FOLDER, 0, new byte[Limits.MAX_PROOF_BYTES + 1], new byte[0]));
        assertEncodeRefused(new Membership(Samples.FOLDER, 0, new byte[32], new byte[Limits.MAX_PROOF_BYTES + 1]));
        assertEncodeRefused(new Membership(Samples.FOLDER, 256, new byte[32], new byte[0]));
        assertEncodeRefused(new MembershipRejected(Samples.FOLDER, "r".repeat(Limits.MAX_REASON + 1)));
        assertEncodeRefused(new Close("é".repeat(Limits.MAX_REASON / 2 + 1)));
        assertEncodeRefused(new IndexUpdate(Samples.FOLDER, true,
                Collections.nCopies(Limits.MAX_RECORDS_PER_UPDATE + 1, Samples.directory())));
        assertEncodeRefused(BlockResponse.ok(1, new byte[Limits.MAX_BLOCK_SIZE + 1]));
        assertEncodeRefused(new BlockResponse(1, BlockResponse.Status.BUSY, new byte[1]));
        Hash h = Samples.multiBlockFile().fileHash();
        assertEncodeRefused(new BlockRequest(1, Samples.FOLDER, "a", -1, 1, h));
        assertEncodeRefused(new BlockRequest(1, Samples.FOLDER, "a", 0, Limits.MAX_BLOCK_SIZE + 1, h));
        FileRecord dir = Samples.directory();
        assertEncodeRefused(updateOf(withBlockSize(dir, Limits.MAX_BLOCK_SIZE + 1)));
        assertEncodeRefused(updateOf(withBlockSize(dir, -1)));
        assertEncodeRefused(updateOf(new FileRecord("big", FileType.FILE, Limits.MAX_BLOCK_SIZE + 1L, 0, 0644,
                dir.version(), false, 0, 0, Limits.MAX_BLOCK_SIZE, List.of(new BlockRef(0, Limits.MAX_BLOCK_SIZE + 1,
                h)), h, "")));
        assertEncodeRefused(updateOf(new FileRecord("link", FileType.SYMLINK, 0, 0, 0777, dir.version(), false, 0, 0,
                0, List.of(), null, "t".repeat(FolderPath.MAX_BYTES + 1))));
        List<BlockRef> tooMany = Collections.nCopies(Limits.MAX_BLOCKS_PER_FILE + 1, new BlockRef(0, 0, h));
        assertEncodeRefused(updateOf(new FileRecord("gone", FileType.FILE, 0, 0, 0644, dir.version(), true, 0, 0, 0,
                tooMany, null, "")));
    }

    /** The record that fits no frame: the most blocks, each with its encrypted hash, and the most sealed metadata. */
    @Test
    void encodeRefusesARecordOverTheRecordLimit() {
        FileRecord huge = largestFile();
        List<Hash> hashes = Collections.nCopies(huge.blocks().size(), Hash.sha256(new byte[] {1}));
        SealedInfo seal = new SealedInfo("AB/CD", 1, hashes, Hash.sha256(new byte[0]),
                Samples.bytes(SealedInfo.SIGNATURE_BYTES, 1), new byte[SealedInfo.MAX_METADATA_BYTES]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encode(updateOf(huge.withSealed(seal))));
        assertTrue(e.getMessage().contains("expected: <= " + Limits.MAX_RECORD_BYTES), e.getMessage());
    }

    /** PROTOCOL.md's figures: a file of the most blocks takes 5.5 MB, 15.2 MB sealed, and fits one frame. */
    @Test
    void theLargestFileFitsOneFrameEvenSealed() {
        FileRecord plain = largestFile();
        int record = RecordCodec.encode(plain).length;
        assertEquals(5.5, record / 1e6, 0.05);
        List<Hash> hashes = Collections.nCopies(plain.blocks().size(), Hash.sha256(new byte[] {1}));
        SealedInfo seal = new SealedInfo("AB/CD", 1, hashes, Hash.sha256(new byte[0]),
                Samples.bytes(SealedInfo.SIGNATURE_BYTES, 1), new byte[record + 28]);
        byte[] frame = encode(updateOf(plain.withSealed(seal)));
        assertEquals(15.2, frame.length / 1e6, 0.05);
        assertTrue(frame.length <= Limits.MAX_FRAME, frame.length + " bytes");
        assertEquals(plain.withSealed(seal), ((IndexUpdate) decode(frame)).records().get(0));
    }

    /** {@link Limits#MAX_BLOCKS_PER_FILE} blocks of 16 MiB (2 TiB): the largest offsets and sizes a scan makes. */
    private static FileRecord largestFile() {
        int blockSize = 16 * 1024 * 1024;
        Hash h = Hash.sha256(new byte[0]);
        List<BlockRef> blocks = new ArrayList<>(Limits.MAX_BLOCKS_PER_FILE);
        for (int i = 0; i < Limits.MAX_BLOCKS_PER_FILE; i++) {
            blocks.add(new BlockRef((long) i * blockSize, blockSize, h));
        }
        return new FileRecord("big.img", FileType.FILE, (long) blockSize * blocks.size(), 1_700_000_000_000_000_000L,
                0644, Samples.multiBlockFile().version(), false, 1, Samples.NODE_A, blockSize, blocks, h, "");
    }

    private static IndexUpdate updateOf(FileRecord r) {
        return new IndexUpdate(Samples.FOLDER, true, List.of(r));
    }

    private static FileRecord withBlockSize(FileRecord r, int blockSize) {
        return new FileRecord(r.path(), r.type(), r.size(), r.mtimeNanos(), r.mode(), r.version(), r.deleted(),
                r.sequence(), r.modifiedBy(), blockSize, r.blocks(), r.fileHash(), r.target());
    }

    @Test
    void encodesLimitsExactly() {
        String reason = "r".repeat(Limits.MAX_REASON);
        assertEquals(new Close(reason), decode(encode(new Close(reason))));
        List<String> peers = Collections.nCopies(Limits.MAX_KNOWN_PEERS, "h".repeat(Limits.MAX_SHORT_STRING));
        Hello hello = new Hello(65535, "c", 65535, Samples.bytes(32, 1), peers);
        assertEquals(hello, decode(encode(hello)));
        Message.FolderPeers folderPeers = new Message.FolderPeers(Samples.FOLDER, peers);
        assertEquals(folderPeers, decode(encode(folderPeers)));
        String path = ("d".repeat(FolderPath.MAX_COMPONENT_BYTES - 1) + "/").repeat(16) + "x".repeat(16);
        assertEquals(FolderPath.MAX_BYTES, path.length());
        BlockRequest request = new BlockRequest(0, Samples.FOLDER, path, Long.MAX_VALUE, Limits.MAX_BLOCK_SIZE,
                Samples.multiBlockFile().fileHash());
        assertEquals(request, decode(encode(request)));
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    private byte[] encode(Message message) {
        ByteBuf buf = alloc.buffer();
        try {
            WireCodec.encode(message, buf);
            byte[] out = new byte[buf.readableBytes()];
            buf.readBytes(out);
            return out;
        } finally {
            buf.release();
        }
    }

    private void assertEncodeRefused(Message message) {
        ByteBuf buf = alloc.buffer();
        try {
            assertThrows(IllegalArgumentException.class, () -> WireCodec.encode(message, buf), message::toString);
        } finally {
            buf.release();
        }
    }

    private Message decode(byte[] frame) {
        ByteBuf buf = alloc.buffer(frame.length).writeBytes(frame);
        try {
            return WireCodec.decode(buf);
        } finally {
            buf.release();
        }
    }

    private void assertRejected(byte[] frame, String expectedInMessage) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> decode(frame));
        assertTrue(e.getMessage().contains(expectedInMessage),
                () -> "message '" + e.getMessage() + "' (expected to contain '" + expectedInMessage + "')");
    }

    private static Raw indexHeader() {
        return new Raw().u8(4).bytes(Samples.FOLDER.bytes()).u8(1);
    }

    /** An IndexUpdate frame of one hand-written record, changed by {@code change}. */
    private static byte[] update(Consumer<RawRecord> change) {
        RawRecord r = new RawRecord();
        change.accept(r);
        byte[] record = r.toArray();
        return indexHeader().i32(1).i32(record.length).bytes(record).toArray();
    }

    private static byte[] blockRequest(String path, long offset, int size) {
        return new Raw().u8(5).i32(1).bytes(Samples.FOLDER.bytes()).str(path).i64(offset).i32(size)
                .bytes(new byte[32]).toArray();
    }

    /** SealCodec's layout written by hand: path, encrypted size, hashes, digest, signature, metadata. */
    static byte[] rawSeal(SealedInfo s) {
        Raw raw = new Raw().str(s.encryptedPath()).i64(s.encryptedSize()).i32(s.encryptedBlockHashes().size());
        s.encryptedBlockHashes().forEach(h -> raw.bytes(h.bytes()));
        raw.bytes(s.plainDigest().bytes()).bytes(s.signature());
        return raw.i32(s.encryptedMetadata().length).bytes(s.encryptedMetadata()).toArray();
    }

    @Test
    void rawRecordDefaultsAreValid() {
        IndexUpdate u = (IndexUpdate) decode(update(r -> { }));
        assertEquals(Samples.multiBlockFile(), u.records().get(0));
        assertFalse(u.records().get(0).deleted());
    }
}
