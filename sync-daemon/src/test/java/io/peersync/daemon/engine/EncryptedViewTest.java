package io.peersync.daemon.engine;

import static io.peersync.daemon.engine.SealedRecords.AUTHOR;
import static io.peersync.daemon.engine.SealedRecords.ENC;
import static io.peersync.daemon.engine.SealedRecords.RO;
import static io.peersync.daemon.engine.SealedRecords.RW;
import static io.peersync.daemon.engine.SealedRecords.dir;
import static io.peersync.daemon.engine.SealedRecords.file;
import static io.peersync.daemon.engine.SealedRecords.sealed;
import static io.peersync.daemon.engine.SealedRecords.symlink;
import static io.peersync.daemon.engine.SealedRecords.tombstone;
import static io.peersync.daemon.engine.SealedRecords.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.secret.FolderSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncryptedViewTest {
    private static final byte[] CONTENT = utf8("ten bytes!");

    /** Blocks of 4, 4 and 2 bytes: encrypted, 32, 32 and 30. */
    private static FileRecord plainFile() {
        return sealed(file("docs/report.txt", CONTENT, 4), CONTENT);
    }

    static Stream<FileRecord> everyKind() {
        return Stream.of(
                plainFile(),
                sealed(file("empty", new byte[0], 131072), new byte[0]),
                sealed(dir("docs"), null),
                sealed(symlink("docs/latest", "report.txt"), null),
                sealed(tombstone(file("docs/report.txt", CONTENT, 4)), null));
    }

    // ---- of -----------------------------------------------------------------------------------------------------

    @Test
    void fileLivesAtItsEncryptedPathWithEncryptedBlocks() throws Exception {
        FileRecord plain = plainFile();
        SealedInfo s = plain.sealed();

        FileRecord e = EncryptedView.of(plain);

        assertEquals(s.encryptedPath(), e.path());
        assertEquals(plain.path(), RO.contentCipher().orElseThrow().decryptPath(e.path()));
        assertEquals(FileType.FILE, e.type());
        assertEquals(32 + 32 + 30, e.size());
        assertEquals(s.encryptedSize(), e.size());
        assertEquals(List.of(new BlockRef(0, 32, s.encryptedBlockHashes().get(0)),
                new BlockRef(32, 32, s.encryptedBlockHashes().get(1)),
                new BlockRef(64, 30, s.encryptedBlockHashes().get(2))), e.blocks());
        assertEquals(4 + 28, e.blockSize());
        assertEquals(0, e.mtimeNanos());
        assertEquals(EncryptedView.CIPHERTEXT_MODE, e.mode());
        assertEquals(0600, e.mode());
        assertEquals("", e.target());
        assertNotNull(e.fileHash());
        assertEquals(plain.version(), e.version());
        assertEquals(plain.modifiedBy(), e.modifiedBy());
        assertEquals(plain.sequence(), e.sequence());
        assertFalse(e.deleted());
        assertEquals(s, e.sealed());
    }

    @Test
    void directoriesAndSymlinksBecomeDirectoryEntriesWithoutTarget() {
        for (FileRecord plain : List.of(sealed(dir("docs"), null), sealed(symlink("docs/latest", "../x"), null))) {
            FileRecord e = EncryptedView.of(plain);
            assertEquals(plain.sealed().encryptedPath(), e.path());
            assertEquals(FileType.DIRECTORY, e.type(), plain.path());
            assertEquals(0, e.size());
            assertEquals(List.of(), e.blocks());
            assertEquals(0, e.blockSize());
            assertNull(e.fileHash());
            assertEquals("", e.target());
            assertEquals(0, e.mtimeNanos());
            assertEquals(0600, e.mode());
        }
    }

    @Test
    void tombstoneStaysADeletedFileWithoutContent() {
        FileRecord plain = sealed(tombstone(file("docs/report.txt", CONTENT, 4)), null);
        FileRecord e = EncryptedView.of(plain);
        assertEquals(FileType.FILE, e.type());
        assertTrue(e.deleted());
        assertEquals(0, e.size());
        assertEquals(List.of(), e.blocks());
        assertEquals(0, e.blockSize());
        assertNull(e.fileHash());
        assertEquals(plain.version(), e.version());
    }

    @Test
    void emptyFileIsAnEmptyEncryptedFile() {
        FileRecord e = EncryptedView.of(sealed(file("empty", new byte[0], 131072), new byte[0]));
        assertEquals(FileType.FILE, e.type());
        assertEquals(0, e.size());
        assertEquals(List.of(), e.blocks());
        assertNotNull(e.fileHash());
    }

    @Test
    void refusesAnUnsealedRecord() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EncryptedView.of(file("docs/report.txt", CONTENT, 4)));
        assertTrue(e.getMessage().contains("docs/report.txt is not sealed"), e.getMessage());
    }

    @Test
    void encryptedOffsetsAddUpEncryptedBlockSizes() {
        FileRecord plain = plainFile();
        assertEquals(0, EncryptedView.encryptedOffset(plain, 0));
        assertEquals(32, EncryptedView.encryptedOffset(plain, 1));
        assertEquals(64, EncryptedView.encryptedOffset(plain, 2));
        FileRecord e = EncryptedView.of(plain);
        for (int i = 0; i < e.blocks().size(); i++) {
            assertEquals(e.blocks().get(i).offset(), EncryptedView.encryptedOffset(plain, i));
        }
    }

    // ---- verify -------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("everyKind")
    void encryptedNodeAcceptsWhatAReadWriteNodeSealed(FileRecord plain) {
        FileRecord e = EncryptedView.of(plain);
        assertTrue(EncryptedView.verify(ENC, ENC.folderId(), e), plain.path());
        assertTrue(EncryptedView.verify(FolderSecret.parse(ENC.text()), ENC.folderId(), e));
        assertTrue(EncryptedView.verify(ENC, ENC.folderId(), e.withSequence(999)), "the sequence is not signed");
    }

    @Test
    void rejectsAnotherEncryptedPath() {
        FileRecord e = EncryptedView.of(plainFile());
        String other = RW.contentCipher().orElseThrow().encryptPath("docs/other.txt");
        assertFalse(verify(copy(e, other, e.blocks(), e.size(), e.version(), e.deleted(), e.modifiedBy(), e.fileHash())));
        // The seal itself names the other path: the signature no longer matches.
        SealedInfo s = e.sealed();
        SealedInfo moved = new SealedInfo(other, s.encryptedSize(), s.encryptedBlockHashes(), s.plainDigest(),
                s.signature(), s.encryptedMetadata());
        assertFalse(verify(copy(e, other, e.blocks(), e.size(), e.version(), e.deleted(), e.modifiedBy(),
                e.fileHash()).withSealed(moved)));
    }

    @Test
    void rejectsAnAlteredBlockHash() {
        FileRecord e = EncryptedView.of(plainFile());
        List<BlockRef> blocks = new ArrayList<>(e.blocks());
        BlockRef b = blocks.get(1);
        blocks.set(1, new BlockRef(b.offset(), b.size(), Hash.sha256(new byte[] {1})));
        assertFalse(verify(copy(e, e.path(), blocks, e.size(), e.version(), e.deleted(), e.modifiedBy(),
                e.fileHash())));
        List<BlockRef> swapped = List.of(new BlockRef(0, 32, e.blocks().get(1).hash()),
                new BlockRef(32, 32, e.blocks().get(0).hash()), e.blocks().get(2));
        assertFalse(verify(copy(e, e.path(), swapped, e.size(), e.version(), e.deleted(), e.modifiedBy(),
                e.fileHash())));
        assertFalse(verify(copy(e, e.path(), e.blocks().subList(0, 2), 64, e.version(), e.deleted(),
                e.modifiedBy(), e.fileHash())));
    }

    @Test
    void rejectsAnAlteredSizeOrContentHash() {
        FileRecord e = EncryptedView.of(plainFile());
        List<BlockRef> longer = new ArrayList<>(e.blocks());
        BlockRef last = longer.get(2);
        longer.set(2, new BlockRef(last.offset(), last.size() + 1, last.hash()));
        assertFalse(verify(copy(e, e.path(), longer, e.size() + 1, e.version(), e.deleted(), e.modifiedBy(),
                e.fileHash())));
        assertFalse(verify(copy(e, e.path(), e.blocks(), e.size(), e.version(), e.deleted(), e.modifiedBy(),
                Hash.sha256(CONTENT))));
    }

    @Test
    void rejectsAnAlteredVersionDeletionOrAuthor() {
        FileRecord e = EncryptedView.of(plainFile());
        assertFalse(verify(copy(e, e.path(), e.blocks(), e.size(), e.version().increment(AUTHOR), false,
                e.modifiedBy(), e.fileHash())));
        assertFalse(verify(copy(e, e.path(), e.blocks(), e.size(), VersionVector.EMPTY, false, e.modifiedBy(),
                e.fileHash())));
        assertFalse(verify(copy(e, e.path(), List.of(), 0, e.version(), true, e.modifiedBy(), null)));
        assertFalse(verify(copy(e, e.path(), e.blocks(), e.size(), e.version(), false, e.modifiedBy() + 1,
                e.fileHash())));
        // A tombstone's seal cannot bring the file back.
        FileRecord dead = EncryptedView.of(sealed(tombstone(file("docs/report.txt", CONTENT, 4)), null));
        assertFalse(verify(copy(dead, dead.path(), List.of(), 0, dead.version(), false, dead.modifiedBy(),
                Hash.sha256(new byte[0]))));
    }

    @Test
    void rejectsUnsealedRecordsAndOtherFolders() {
        FileRecord e = EncryptedView.of(plainFile());
        assertFalse(verify(e.withSealed(null)));
        FolderSecret other = FolderSecret.generate();
        assertFalse(EncryptedView.verify(other.encrypted().orElseThrow(), other.folderId(), e));
        assertFalse(EncryptedView.verify(ENC, other.folderId(), e));
        // A genuine seal of another record does not vouch for this one.
        FileRecord notes = EncryptedView.of(sealed(file("docs/notes.txt", CONTENT, 4), CONTENT));
        assertFalse(verify(e.withSealed(notes.sealed())));
    }

    // ---- open ---------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("everyKind")
    void openGivesBackThePlainRecordWithTheEncryptedRecordsSequence(FileRecord plain) {
        FileRecord relayed = EncryptedView.of(plain).withSequence(77);
        assertEquals(plain.withSequence(77), EncryptedView.open(RO, relayed).orElseThrow());
        assertEquals(plain.withSequence(77), EncryptedView.open(RW, relayed).orElseThrow());
    }

    @Test
    void openRejectsWhatVerifyRejects() {
        FileRecord e = EncryptedView.of(plainFile());
        String other = RW.contentCipher().orElseThrow().encryptPath("docs/other.txt");
        assertEquals(java.util.Optional.empty(), EncryptedView.open(RO, copy(e, other, e.blocks(), e.size(),
                e.version(), e.deleted(), e.modifiedBy(), e.fileHash())));
        assertEquals(java.util.Optional.empty(), EncryptedView.open(RO, copy(e, e.path(), e.blocks(), e.size(),
                e.version().increment(AUTHOR), false, e.modifiedBy(), e.fileHash())));
        assertEquals(java.util.Optional.empty(), EncryptedView.open(RO, copy(e, e.path(), e.blocks(), e.size(),
                e.version(), false, e.modifiedBy() + 1, e.fileHash())));
        assertEquals(java.util.Optional.empty(), EncryptedView.open(RO, e.withSealed(null)));
        SealedInfo s = e.sealed();
        byte[] metadata = s.encryptedMetadata().clone();
        metadata[metadata.length / 2] ^= 1;
        assertEquals(java.util.Optional.empty(), EncryptedView.open(RO, e.withSealed(new SealedInfo(
                s.encryptedPath(), s.encryptedSize(), s.encryptedBlockHashes(), s.plainDigest(), s.signature(),
                metadata))));
        assertEquals(java.util.Optional.empty(), EncryptedView.open(FolderSecret.generate(), e));
    }

    @Test
    void encryptedSecretCannotOpen() {
        assertEquals(java.util.Optional.empty(), EncryptedView.open(ENC, EncryptedView.of(plainFile())));
    }

    private static boolean verify(FileRecord e) {
        return EncryptedView.verify(ENC, ENC.folderId(), e);
    }

    /** {@code e} with the given fields; the rest (type, mtime, mode, block size, seal) kept. */
    private static FileRecord copy(FileRecord e, String path, List<BlockRef> blocks, long size, VersionVector version,
                                   boolean deleted, long modifiedBy, Hash fileHash) {
        return new FileRecord(path, e.type(), size, e.mtimeNanos(), e.mode(), version, deleted, e.sequence(),
                modifiedBy, e.blockSize(), blocks, fileHash, e.target(), e.sealed());
    }
}
