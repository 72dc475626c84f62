package io.peersync.protocol.wire;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
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
import io.peersync.protocol.wire.Message.Ping;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** One valid instance of every message, with fields chosen to exercise each encoding. */
final class Samples {
    static final long NODE_A = 0x0123_4567_89ab_cdefL;
    static final long NODE_B = 0x7000_0000_0000_0001L;
    /** A short id with the top bit set: must travel as an unsigned 64-bit value. */
    static final long NODE_HIGH = 0xfedc_ba98_7654_3210L;
    static final FolderId FOLDER = FolderId.ofBytes(bytes(16, 1));

    private Samples() {
    }

    static byte[] bytes(int length, int seed) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A 300-byte file in blocks of 128, 128 and 44 bytes, with real SHA-256 hashes. */
    static FileRecord multiBlockFile() {
        byte[] content = bytes(300, 7);
        int blockSize = 128;
        List<BlockRef> blocks = new ArrayList<>();
        for (int off = 0; off < content.length; off += blockSize) {
            int len = Math.min(blockSize, content.length - off);
            blocks.add(new BlockRef(off, len, Hash.sha256(content, off, len)));
        }
        VersionVector version = VersionVector.of(Map.of(NODE_A, 3L, NODE_B, 1L, NODE_HIGH, 7L));
        return new FileRecord("docs/report ü.txt", FileType.FILE, content.length, 1_700_000_000_123_456_789L, 0644,
                version, false, 42, NODE_HIGH, blockSize, blocks, Hash.sha256(content), "");
    }

    static FileRecord emptyFile() {
        return new FileRecord("empty", FileType.FILE, 0, 1L, 0600, VersionVector.EMPTY.increment(NODE_A), false, 1,
                NODE_A, 128 * 1024, List.of(), Hash.sha256(new byte[0]), "");
    }

    static FileRecord directory() {
        return new FileRecord("docs", FileType.DIRECTORY, 0, 5L, 0755, VersionVector.EMPTY.increment(NODE_B), false,
                2, NODE_B, 0, List.of(), null, "");
    }

    static FileRecord symlink() {
        return new FileRecord("docs/latest", FileType.SYMLINK, 0, 6L, 0777, VersionVector.EMPTY.increment(NODE_A),
                false, 3, NODE_A, 0, List.of(), null, "report ü.txt");
    }

    static FileRecord tombstone() {
        return multiBlockFile().asDeleted(multiBlockFile().version().increment(NODE_B), 43, NODE_B,
                1_700_000_100_000_000_000L);
    }

    /**
     * A seal with made-up but well-formed fields (the codec does not check signatures): an encrypted path of
     * several components, one hash per block of {@link #multiBlockFile()}, and some metadata bytes.
     */
    static SealedInfo seal() {
        List<Hash> hashes = List.of(Hash.sha256(bytes(10, 11)), Hash.sha256(bytes(10, 12)), Hash.sha256(bytes(10, 13)));
        return new SealedInfo("AB/CD/EFGHIJKLMNOP", 300 + 3 * 28, hashes, Hash.sha256(bytes(10, 14)),
                bytes(SealedInfo.SIGNATURE_BYTES, 15), bytes(77, 16));
    }

    static FileRecord sealedFile() {
        return multiBlockFile().withSealed(seal());
    }

    static IndexUpdate indexUpdate() {
        return new IndexUpdate(FOLDER, true, List.of(multiBlockFile(), emptyFile(), directory(), symlink(), tombstone(),
                sealedFile()));
    }

    static List<Message> everyMessage() {
        return List.of(
                new Hello(Limits.PROTOCOL_VERSION, "peersync 0.1.0", 22000, bytes(Limits.NONCE_BYTES, 2),
                        List.of("192.0.2.7:22000", "[2001:db8::1]:22000", "nas.example:22001")),
                new Hello(Limits.PROTOCOL_VERSION, "", 0, bytes(Limits.NONCE_BYTES, 3), List.of()),
                new Membership(FOLDER, 0, bytes(32, 4), bytes(64, 5)),
                new Membership(FOLDER, 1, bytes(32, 6), bytes(32, 7)),
                new Membership(FOLDER, 2, bytes(32, 8), new byte[0]),
                new MembershipRejected(FOLDER, "membership proof did not verify"),
                indexUpdate(),
                new IndexUpdate(FOLDER, false, List.of()),
                new BlockRequest(-7, FOLDER, "docs/report ü.txt", 128, 128, multiBlockFile().blocks().get(1).hash()),
                BlockResponse.ok(Integer.MAX_VALUE, bytes(128, 9)),
                BlockResponse.failed(3, BlockResponse.Status.NOT_FOUND),
                BlockResponse.failed(4, BlockResponse.Status.BUSY),
                BlockResponse.failed(5, BlockResponse.Status.ERROR),
                new Message.FolderPeers(FOLDER, List.of("192.0.2.7:41001", "[2001:db8::1]:41001")),
                new Message.FolderPeers(FOLDER, List.of()),
                new Ping(),
                new Close("shutting down"));
    }
}
