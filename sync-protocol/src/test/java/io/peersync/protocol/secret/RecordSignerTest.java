package io.peersync.protocol.secret;

import io.peersync.protocol.SealedInfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.VersionVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RecordSignerTest {
    private static final FolderSecret RW = FolderSecret.generate();
    private static final FolderSecret RO = RW.readOnly().orElseThrow();
    private static final FolderSecret ENC = RW.encrypted().orElseThrow();
    private static final byte[] BLOCK_A = "first block of the file".getBytes();
    private static final byte[] BLOCK_B = "second".getBytes();
    private static final VersionVector VERSION = VersionVector.of(Map.of(7L, 3L, -5L, 1L));
    private static final long AUTHOR = 7L;

    /** A two-block file record, with the encrypted block hashes an honest read-write node would sign. */
    private static FileRecord file() {
        List<BlockRef> blocks = List.of(
                new BlockRef(0, BLOCK_A.length, Hash.sha256(BLOCK_A)),
                new BlockRef(BLOCK_A.length, BLOCK_B.length, Hash.sha256(BLOCK_B)));
        byte[] whole = (new String(BLOCK_A) + new String(BLOCK_B)).getBytes();
        return new FileRecord("docs/notes.txt", FileType.FILE, whole.length, 1_700_000_000_123_456_789L, 0644,
                VERSION, false, 42, AUTHOR, 128 * 1024, blocks, Hash.sha256(whole), "");
    }

    private static List<Hash> encryptedHashes(FileRecord r) {
        ContentCipher cipher = RW.contentCipher().orElseThrow();
        byte[][] plain = {BLOCK_A, BLOCK_B};
        List<Hash> hashes = new ArrayList<>();
        for (int i = 0; i < r.blocks().size(); i++) {
            hashes.add(Hash.sha256(cipher.encryptBlock(plain[i], r.blocks().get(i).hash())));
        }
        return hashes;
    }

    private static SealedInfo sealed() {
        return RecordSigner.seal(RW, file(), encryptedHashes(file()));
    }

    private static FileRecord with(FileRecord r, UnaryOperator<Builder> change) {
        return change.apply(new Builder(r)).build();
    }

    @Test
    void readWriteAndReadOnlyVerifyWhatReadWriteSealed() {
        SealedInfo s = sealed();
        assertTrue(RecordSigner.verifyPlain(RW, file(), s));
        assertTrue(RecordSigner.verifyPlain(RO, file(), s));
        assertTrue(RecordSigner.verifyPlain(FolderSecret.parse(RO.text()), file(), s));
    }

    @Test
    void encryptedSecretVerifiesSealedInfo() {
        SealedInfo s = sealed();
        FolderSecret enc = FolderSecret.parse(ENC.text());
        assertTrue(RecordSigner.verifySealed(enc, enc.folderId(), s, VERSION, false, AUTHOR));
    }

    @Test
    void sealCarriesEncryptedPathSizeAndHashes() {
        SealedInfo s = sealed();
        assertEquals(RO.contentCipher().orElseThrow().encryptPath("docs/notes.txt"), s.encryptedPath());
        assertEquals(BLOCK_A.length + BLOCK_B.length + 2 * 28, s.encryptedSize());
        assertEquals(encryptedHashes(file()), s.encryptedBlockHashes());
        assertEquals(RecordSigner.plainDigest(file()), s.plainDigest());
    }

    @Test
    void readOnlySecretCannotSeal() {
        var e = assertThrows(IllegalStateException.class, () -> RecordSigner.seal(RO, file(), encryptedHashes(file())));
        assertEquals("record signer: cannot seal with a read-only secret (expected: read-write)", e.getMessage());
        assertThrows(IllegalStateException.class, () -> RecordSigner.seal(ENC, file(), encryptedHashes(file())));
    }

    @Test
    void encryptedSecretCannotCheckPlainRecords() {
        assertThrows(IllegalStateException.class, () -> RecordSigner.verifyPlain(ENC, file(), sealed()));
    }

    @Test
    void sealRejectsWrongNumberOfEncryptedHashes() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> RecordSigner.seal(RW, file(), encryptedHashes(file()).subList(0, 1)));
        assertEquals("encrypted block hashes of docs/notes.txt: 1 (expected: 2, one per block)", e.getMessage());
    }

    static Stream<Arguments> plainTampering() {
        Hash other = Hash.sha256(new byte[] {1});
        return Stream.of(
                Arguments.of("path", (UnaryOperator<Builder>) b -> b.path("docs/other.txt")),
                Arguments.of("size", (UnaryOperator<Builder>) b -> b.size(b.size + 1).lastBlockSize(+1)),
                Arguments.of("block hash", (UnaryOperator<Builder>) b -> b.blockHash(1, other)),
                Arguments.of("file hash", (UnaryOperator<Builder>) b -> b.fileHash(other)),
                Arguments.of("version", (UnaryOperator<Builder>) b -> b.version(VERSION.increment(9))),
                Arguments.of("mode", (UnaryOperator<Builder>) b -> b.mode(0755)),
                Arguments.of("mtime", (UnaryOperator<Builder>) b -> b.mtime(b.mtime + 1)),
                Arguments.of("deleted flag", (UnaryOperator<Builder>) b -> b.deleted(true)),
                Arguments.of("modifiedBy", (UnaryOperator<Builder>) b -> b.modifiedBy(AUTHOR + 1)),
                Arguments.of("type", (UnaryOperator<Builder>) b -> b.type(FileType.SYMLINK)),
                Arguments.of("block size", (UnaryOperator<Builder>) b -> b.blockSize(64 * 1024)),
                Arguments.of("symlink target", (UnaryOperator<Builder>) b -> b.target("elsewhere")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("plainTampering")
    void rejectsTamperedRecord(String field, UnaryOperator<Builder> change) {
        FileRecord tampered = with(file(), change);
        assertNotEquals(file(), tampered);
        assertFalse(RecordSigner.verifyPlain(RO, tampered, sealed()), field);
        assertFalse(RecordSigner.verifyPlain(RW, tampered, sealed()), field);
    }

    @Test
    void sequenceIsNotSigned() {
        assertTrue(RecordSigner.verifyPlain(RO, file().withSequence(1_000), sealed()));
    }

    static Stream<Arguments> sealedTampering() {
        SealedInfo s = sealed();
        List<Hash> swapped = new ArrayList<>(s.encryptedBlockHashes());
        swapped.set(0, Hash.sha256(new byte[] {2}));
        List<Hash> reordered = List.of(s.encryptedBlockHashes().get(1), s.encryptedBlockHashes().get(0));
        String otherPath = RW.contentCipher().orElseThrow().encryptPath("docs/other.txt");
        return Stream.of(
                Arguments.of("encrypted path",
                        new SealedInfo(otherPath, s.encryptedSize(), s.encryptedBlockHashes(), s.plainDigest(), s.signature())),
                Arguments.of("encrypted size",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize() + 1, s.encryptedBlockHashes(), s.plainDigest(), s.signature())),
                Arguments.of("encrypted block hash",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize(), swapped, s.plainDigest(), s.signature())),
                Arguments.of("encrypted block order",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize(), reordered, s.plainDigest(), s.signature())),
                Arguments.of("dropped encrypted block",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize(), swapped.subList(1, 2), s.plainDigest(), s.signature())),
                Arguments.of("plain digest",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(), Hash.sha256(new byte[0]), s.signature())),
                Arguments.of("signature",
                        new SealedInfo(s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(), s.plainDigest(), flipped(s.signature()))));
    }

    private static byte[] flipped(byte[] signature) {
        signature[10] ^= 1;
        return signature;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sealedTampering")
    void rejectsTamperedSealedInfoAtEveryLevel(String field, SealedInfo tampered) {
        assertFalse(RecordSigner.verifySealed(ENC, ENC.folderId(), tampered, VERSION, false, AUTHOR), field);
        assertFalse(RecordSigner.verifyPlain(RO, file(), tampered), field);
    }

    @Test
    void encryptedNodeRejectsChangedVersionDeletionOrAuthor() {
        SealedInfo s = sealed();
        FolderId folder = ENC.folderId();
        assertFalse(RecordSigner.verifySealed(ENC, folder, s, VERSION.increment(7), false, AUTHOR));
        assertFalse(RecordSigner.verifySealed(ENC, folder, s, VersionVector.EMPTY, false, AUTHOR));
        assertFalse(RecordSigner.verifySealed(ENC, folder, s, VERSION, true, AUTHOR));
        assertFalse(RecordSigner.verifySealed(ENC, folder, s, VERSION, false, AUTHOR + 1));
    }

    @Test
    void otherFolderRejects() {
        SealedInfo s = sealed();
        FolderSecret other = FolderSecret.generate();
        assertFalse(RecordSigner.verifySealed(other.encrypted().orElseThrow(), other.folderId(), s, VERSION, false, AUTHOR));
        assertFalse(RecordSigner.verifySealed(ENC, other.folderId(), s, VERSION, false, AUTHOR));
        assertFalse(RecordSigner.verifyPlain(other, file(), s));
    }

    @Test
    void sealsAndVerifiesTombstonesDirectoriesAndSymlinks() {
        FileRecord tombstone = file().asDeleted(VERSION.increment(AUTHOR), 43, AUTHOR, 1_800_000_000_000_000_000L);
        FileRecord dir = new FileRecord("docs", FileType.DIRECTORY, 0, 5, 0755, VERSION, false, 1, AUTHOR, 0,
                List.of(), null, "");
        FileRecord link = new FileRecord("docs/latest", FileType.SYMLINK, 0, 5, 0777, VERSION, false, 1, AUTHOR, 0,
                List.of(), null, "notes.txt");
        for (FileRecord r : List.of(tombstone, dir, link)) {
            SealedInfo s = RecordSigner.seal(RW, r, List.of());
            assertEquals(0, s.encryptedSize());
            assertTrue(RecordSigner.verifyPlain(RO, r, s), r.path());
            assertTrue(RecordSigner.verifySealed(ENC, ENC.folderId(), s, r.version(), r.deleted(), r.modifiedBy()));
        }
        // A tombstone's signature cannot revive the file, nor the file's resurrect after deletion.
        SealedInfo dead = RecordSigner.seal(RW, tombstone, List.of());
        assertFalse(RecordSigner.verifySealed(ENC, ENC.folderId(), dead, tombstone.version(), false, AUTHOR));
    }

    @Test
    void plainDigestSeparatesNoFileHashFromAnyHash() {
        FileRecord dir = new FileRecord("d", FileType.DIRECTORY, 0, 5, 0755, VERSION, false, 1, AUTHOR, 0,
                List.of(), null, "");
        FileRecord dirWithHash = new FileRecord("d", FileType.DIRECTORY, 0, 5, 0755, VERSION, false, 1, AUTHOR, 0,
                List.of(), Hash.of(new byte[32]), "");
        assertNotEquals(RecordSigner.plainDigest(dir), RecordSigner.plainDigest(dirWithHash));
    }

    @Test
    void theChangeSetIdAndSizeAreSigned() {
        FileRecord member = file().withChangeSet(77, 3);
        SealedInfo s = RecordSigner.seal(RW, member, encryptedHashes(member));

        assertTrue(RecordSigner.verifySealed(ENC, ENC.folderId(), s, VERSION, false, AUTHOR, 77, 3));
        assertFalse(RecordSigner.verifySealed(ENC, ENC.folderId(), s, VERSION, false, AUTHOR, 77, 2),
                "a relay cannot shrink a set");
        assertFalse(RecordSigner.verifySealed(ENC, ENC.folderId(), s, VERSION, false, AUTHOR, 78, 3));
        assertFalse(RecordSigner.verifySealed(ENC, ENC.folderId(), s, VERSION, false, AUTHOR),
                "nor make a member look like a lone change");
        assertTrue(RecordSigner.verifyPlain(RW, member.withSealed(s), s));
        assertFalse(RecordSigner.verifyPlain(RW, file().withSealed(s), s));
    }

    @Test
    void versionVectorEncodingIsIndependentOfMapOrder() {
        VersionVector a = VersionVector.of(Map.of(1L, 2L, -1L, 3L, Long.MIN_VALUE, 4L));
        VersionVector b = VersionVector.EMPTY.merge(VersionVector.of(Map.of(Long.MIN_VALUE, 4L)))
                .merge(VersionVector.of(Map.of(-1L, 3L))).merge(VersionVector.of(Map.of(1L, 2L)));
        Hash digest = Hash.sha256(new byte[0]);
        assertEquals(Hash.sha256(RecordSigner.message(RW.folderId(), digest, "AA/BB/CC", a, false, 1, 0, List.of(), 0, 0)),
                Hash.sha256(RecordSigner.message(RW.folderId(), digest, "AA/BB/CC", b, false, 1, 0, List.of(), 0, 0)));
    }

    @Test
    void sealedInfoCopiesDefensivelyAndValidates() {
        SealedInfo s = sealed();
        byte[] signature = s.signature();
        signature[0] ^= 1;
        assertEquals(sealed(), s);
        assertTrue(RecordSigner.verifySealed(ENC, ENC.folderId(), s, VERSION, false, AUTHOR));
        List<Hash> hashes = new ArrayList<>(s.encryptedBlockHashes());
        byte[] sig = s.signature();
        SealedInfo copy = new SealedInfo(s.encryptedPath(), s.encryptedSize(), hashes, s.plainDigest(), sig,
                s.encryptedMetadata().clone());
        hashes.clear();
        sig[0] ^= 1;
        assertEquals(s, copy);
        assertEquals(s.hashCode(), copy.hashCode());
        assertThrows(UnsupportedOperationException.class, () -> copy.encryptedBlockHashes().clear());
        // Equality covers the metadata too: the five-argument form carries none, so it is another seal.
        SealedInfo bare = new SealedInfo(s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(),
                s.plainDigest(), s.signature());
        assertEquals(0, bare.encryptedMetadata().length);
        assertNotEquals(s, bare);
        byte[] otherMetadata = s.encryptedMetadata().clone();
        otherMetadata[otherMetadata.length - 1] ^= 1;
        assertNotEquals(s, new SealedInfo(s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(),
                s.plainDigest(), s.signature(), otherMetadata));
        assertThrows(NullPointerException.class, () -> new SealedInfo(s.encryptedPath(), s.encryptedSize(),
                s.encryptedBlockHashes(), s.plainDigest(), s.signature(), null));
        assertThrows(IllegalArgumentException.class,
                () -> new SealedInfo("../x", 0, List.of(), s.plainDigest(), s.signature()));
        assertThrows(IllegalArgumentException.class,
                () -> new SealedInfo("AA/BB/CC", -1, List.of(), s.plainDigest(), s.signature()));
        assertThrows(IllegalArgumentException.class,
                () -> new SealedInfo("AA/BB/CC", 0, List.of(), s.plainDigest(), new byte[63]));
    }

    /** Copies a record with one field changed, keeping the rest (and a valid block layout). */
    static final class Builder {
        String path;
        FileType type;
        long size;
        long mtime;
        int mode;
        VersionVector version;
        boolean deleted;
        long modifiedBy;
        int blockSize;
        List<BlockRef> blocks;
        Hash fileHash;
        String target;
        private final long sequence;

        Builder(FileRecord r) {
            path = r.path();
            type = r.type();
            size = r.size();
            mtime = r.mtimeNanos();
            mode = r.mode();
            version = r.version();
            deleted = r.deleted();
            sequence = r.sequence();
            modifiedBy = r.modifiedBy();
            blockSize = r.blockSize();
            blocks = new ArrayList<>(r.blocks());
            fileHash = r.fileHash();
            target = r.target();
        }

        Builder path(String v) { path = v; return this; }
        Builder type(FileType v) { type = v; return this; }
        Builder size(long v) { size = v; return this; }
        Builder mtime(long v) { mtime = v; return this; }
        Builder mode(int v) { mode = v; return this; }
        Builder version(VersionVector v) { version = v; return this; }
        Builder deleted(boolean v) { deleted = v; return this; }
        Builder modifiedBy(long v) { modifiedBy = v; return this; }
        Builder blockSize(int v) { blockSize = v; return this; }
        Builder fileHash(Hash v) { fileHash = v; return this; }
        Builder target(String v) { target = v; return this; }

        Builder blockHash(int index, Hash h) {
            BlockRef b = blocks.get(index);
            blocks.set(index, new BlockRef(b.offset(), b.size(), h));
            return this;
        }

        Builder lastBlockSize(int delta) {
            BlockRef b = blocks.get(blocks.size() - 1);
            blocks.set(blocks.size() - 1, new BlockRef(b.offset(), b.size() + delta, b.hash()));
            return this;
        }

        FileRecord build() {
            return new FileRecord(path, type, size, mtime, mode, version, deleted, sequence, modifiedBy, blockSize,
                    blocks, fileHash, target);
        }
    }
}
