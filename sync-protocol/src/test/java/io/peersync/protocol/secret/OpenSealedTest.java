package io.peersync.protocol.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.RecordCodec;
import io.peersync.protocol.wire.WireCodec;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link RecordSigner#openSealed}: a member with the content key reads a record it learned only sealed. */
class OpenSealedTest {
    private static final FolderSecret RW = FolderSecret.generate();
    private static final FolderSecret RO = RW.readOnly().orElseThrow();
    private static final FolderSecret ENC = RW.encrypted().orElseThrow();
    private static final ContentCipher CIPHER = RW.contentCipher().orElseThrow();
    private static final VersionVector VERSION = VersionVector.of(Map.of(7L, 3L, -5L, 1L));
    private static final long AUTHOR = -5L;
    private static final byte[][] CONTENT = {"first block.".getBytes(), "second".getBytes()};

    private static FileRecord file() {
        List<BlockRef> blocks = List.of(new BlockRef(0, 12, Hash.sha256(CONTENT[0])),
                new BlockRef(12, 6, Hash.sha256(CONTENT[1])));
        return new FileRecord("docs/ü notes.txt", FileType.FILE, 18, 1_700_000_000_123_456_789L, 0640, VERSION,
                false, 42, AUTHOR, 12, blocks, Hash.sha256("first block.second".getBytes()), "");
    }

    static Stream<FileRecord> everyKind() {
        return Stream.of(
                file(),
                new FileRecord("empty", FileType.FILE, 0, 9, 0600, VERSION, false, 3, AUTHOR, 131072, List.of(),
                        Hash.sha256(new byte[0]), ""),
                new FileRecord("docs", FileType.DIRECTORY, 0, 5, 0755, VERSION, false, 1, AUTHOR, 0, List.of(), null,
                        ""),
                new FileRecord("docs/latest", FileType.SYMLINK, 0, 5, 0777, VERSION, false, 1, AUTHOR, 0, List.of(),
                        null, "ü notes.txt"),
                file().asDeleted(VERSION.increment(AUTHOR), 43, AUTHOR, 1_800_000_000_000_000_000L));
    }

    private static SealedInfo seal(FileRecord r) {
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < r.blocks().size(); i++) {
            hashes.add(Hash.sha256(CIPHER.encryptBlock(CONTENT[i], r.blocks().get(i).hash())));
        }
        return RecordSigner.seal(RW, r, hashes);
    }

    private static FileRecord open(FolderSecret secret, SealedInfo s, FileRecord r) throws GeneralSecurityException {
        return RecordSigner.openSealed(secret, s, r.version(), r.deleted(), r.modifiedBy());
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void opensTheSealedRecordOfEveryKindWithSequenceZero(FileRecord r) throws Exception {
        SealedInfo s = seal(r);
        FileRecord opened = open(RO, s, r);
        assertEquals(r.withSequence(0).withSealed(s), opened);
        assertEquals(0, opened.sequence());
        assertEquals(s, opened.sealed());
        assertEquals(r.withSequence(0).withSealed(s), open(RW, s, r));
    }

    @ParameterizedTest
    @MethodSource("everyKind")
    void sealedRecordCrossesTheWireAndStillVerifies(FileRecord r) {
        FileRecord sealed = r.withSealed(seal(r));
        ByteBuf buf = Unpooled.wrappedBuffer(wire(sealed));
        try {
            FileRecord received = WireCodec.readRecord(buf);
            assertEquals(0, buf.readableBytes());
            assertEquals(sealed, received);
            assertTrue(RecordSigner.verifyPlain(RO, received, received.sealed()));
            assertTrue(RecordSigner.verifySealed(ENC, ENC.folderId(), received.sealed(), received.version(),
                    received.deleted(), received.modifiedBy()));
        } finally {
            buf.release();
        }
    }

    @Test
    void readOnlySecretParsedFromTextOpens() throws Exception {
        SealedInfo s = seal(file());
        assertEquals(file().withSequence(0).withSealed(s), open(FolderSecret.parse(RO.text()), s, file()));
    }

    @Test
    void metadataIsThePlainRecordCodecBytesWithoutSequenceOrSeal() throws Exception {
        SealedInfo s = seal(file().withSequence(1234));
        byte[] plain = CIPHER.decryptBlock(s.encryptedMetadata());
        assertArrayEquals(RecordCodec.encode(file().withSequence(0)), plain);
        FileRecord r = RecordCodec.decode(plain);
        assertEquals(file().withSequence(0), r);
        assertNull(r.sealed());
        // Deterministic: the sequence does not leak into the seal.
        assertEquals(seal(file()), s);
    }

    @Test
    void encryptedSecretCannotOpen() {
        SealedInfo s = seal(file());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(ENC, s, file()));
        assertTrue(e.getMessage().contains("encrypted secret"), e.getMessage());
    }

    @Test
    void anotherFoldersSecretCannotOpen() {
        SealedInfo s = seal(file());
        assertThrows(GeneralSecurityException.class, () -> open(FolderSecret.generate(), s, file()));
    }

    @Test
    void rejectsAlteredMetadata() {
        SealedInfo s = seal(file());
        for (int i : new int[] {0, 12, s.encryptedMetadata().length / 2, s.encryptedMetadata().length - 1}) {
            byte[] altered = s.encryptedMetadata().clone();
            altered[i] ^= 1;
            assertThrows(GeneralSecurityException.class, () -> open(RO, withMetadata(s, altered), file()), "byte " + i);
        }
        byte[] truncated = Arrays.copyOf(s.encryptedMetadata(), s.encryptedMetadata().length - 1);
        assertThrows(GeneralSecurityException.class, () -> open(RO, withMetadata(s, truncated), file()));
        assertThrows(GeneralSecurityException.class, () -> open(RO, withMetadata(s, new byte[0]), file()));
    }

    /** Metadata that decrypts fine but is another version's: the signed plain digest catches it. */
    @Test
    void rejectsGenuineMetadataOfAnotherRecord() {
        SealedInfo s = seal(file());
        FileRecord touched = new FileRecord(file().path(), FileType.FILE, 18, file().mtimeNanos() + 1, 0640, VERSION,
                false, 0, AUTHOR, 12, file().blocks(), file().fileHash(), "");
        var e = assertThrows(GeneralSecurityException.class,
                () -> open(RO, withMetadata(s, seal(touched).encryptedMetadata()), file()));
        assertTrue(e.getMessage().contains("fails its signature"), e.getMessage());
        FileRecord chmod = new FileRecord(file().path(), FileType.FILE, 18, file().mtimeNanos(), 0600, VERSION,
                false, 0, AUTHOR, 12, file().blocks(), file().fileHash(), "");
        assertThrows(GeneralSecurityException.class,
                () -> open(RO, withMetadata(s, encrypt(RecordCodec.encode(chmod))), file()));
    }

    /** A record in the metadata whose version matches the claim, but the signature covers another version. */
    @Test
    void rejectsMetadataWhoseVersionWasNotSigned() {
        SealedInfo s = seal(file());
        VersionVector forged = VERSION.increment(99);
        FileRecord bumped = new FileRecord(file().path(), FileType.FILE, 18, file().mtimeNanos(), 0640, forged,
                false, 0, AUTHOR, 12, file().blocks(), file().fileHash(), "");
        assertThrows(GeneralSecurityException.class, () -> RecordSigner.openSealed(RO,
                withMetadata(s, encrypt(RecordCodec.encode(bumped))), forged, false, AUTHOR));
    }

    @Test
    void rejectsWrongVersionDeletionOrAuthor() {
        SealedInfo s = seal(file());
        assertMismatch(() -> RecordSigner.openSealed(RO, s, VERSION.increment(7), false, AUTHOR));
        assertMismatch(() -> RecordSigner.openSealed(RO, s, VersionVector.EMPTY, false, AUTHOR));
        assertMismatch(() -> RecordSigner.openSealed(RO, s, VERSION, true, AUTHOR));
        assertMismatch(() -> RecordSigner.openSealed(RO, s, VERSION, false, AUTHOR + 1));
        FileRecord tombstone = file().asDeleted(VERSION.increment(AUTHOR), 43, AUTHOR, 5);
        SealedInfo dead = seal(tombstone);
        assertMismatch(() -> RecordSigner.openSealed(RO, dead, tombstone.version(), false, AUTHOR));
    }

    @Test
    void rejectsMetadataThatIsNotExactlyOneRecord() {
        SealedInfo s = seal(file());
        byte[] record = RecordCodec.encode(file().withSequence(0));
        byte[] longer = Arrays.copyOf(record, record.length + 1);
        var trailing = assertThrows(GeneralSecurityException.class,
                () -> open(RO, withMetadata(s, encrypt(longer)), file()));
        assertTrue(trailing.getMessage().contains("trailing"), trailing.getMessage());
        byte[] shorter = Arrays.copyOf(record, record.length - 1);
        var invalid = assertThrows(GeneralSecurityException.class,
                () -> open(RO, withMetadata(s, encrypt(shorter)), file()));
        assertTrue(invalid.getMessage().contains("not a valid record"), invalid.getMessage());
        assertThrows(GeneralSecurityException.class, () -> open(RO, withMetadata(s, encrypt(new byte[0])), file()));
    }

    @Test
    void openedRecordCarriesTheGivenSealNotOneInsideTheMetadata() throws Exception {
        SealedInfo s = seal(file());
        // An honest sealer never nests a seal, but the one that was verified is the one to keep.
        byte[] nested = RecordCodec.encode(file().withSequence(0).withSealed(s));
        SealedInfo given = withMetadata(s, encrypt(nested));
        FileRecord opened = open(RO, given, file());
        assertEquals(given, opened.sealed());
        assertNotEquals(s, opened.sealed());
    }

    private static void assertMismatch(org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(GeneralSecurityException.class, call);
        assertTrue(e.getMessage().contains("does not match the signed version"), e.getMessage());
    }

    private static SealedInfo withMetadata(SealedInfo s, byte[] metadata) {
        return new SealedInfo(s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(), s.plainDigest(),
                s.signature(), metadata);
    }

    private static byte[] encrypt(byte[] plain) {
        return CIPHER.encryptBlock(plain, Hash.sha256(plain));
    }

    private static byte[] wire(FileRecord r) {
        ByteBuf out = Unpooled.buffer();
        try {
            WireCodec.writeRecord(out, r);
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            return bytes;
        } finally {
            out.release();
        }
    }
}
