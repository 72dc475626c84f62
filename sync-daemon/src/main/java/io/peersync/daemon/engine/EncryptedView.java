package io.peersync.daemon.engine;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FileType;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.secret.ContentCipher;
import io.peersync.protocol.secret.FolderSecret;
import io.peersync.protocol.secret.RecordSigner;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The encrypted form of a folder, as encrypted nodes store and serve it: each record under its encrypted path,
 * with the encrypted blocks' sizes and hashes, no mtime, mode or symlink target. Directories and symlinks exist
 * there only as index entries; their plain form travels inside the seal's encrypted metadata.
 */
final class EncryptedView {
    /** Mode of ciphertext files on encrypted nodes. */
    static final int CIPHERTEXT_MODE = 0600;

    private EncryptedView() {
    }

    /** The encrypted-space record of a sealed plain record. */
    static FileRecord of(FileRecord plain) {
        SealedInfo s = plain.sealed();
        if (s == null) {
            throw new IllegalArgumentException(plain.path() + " is not sealed");
        }
        boolean file = plain.type() == FileType.FILE;
        List<BlockRef> blocks = new ArrayList<>(plain.blocks().size());
        long offset = 0;
        if (file && !plain.deleted()) {
            for (int i = 0; i < plain.blocks().size(); i++) {
                int size = ContentCipher.encryptedSize(plain.blocks().get(i).size());
                blocks.add(new BlockRef(offset, size, s.encryptedBlockHashes().get(i)));
                offset += size;
            }
        }
        boolean hasContent = file && !plain.deleted();
        return new FileRecord(s.encryptedPath(), file ? FileType.FILE : FileType.DIRECTORY,
                hasContent ? offset : 0, 0, CIPHERTEXT_MODE, plain.version(), plain.deleted(), plain.sequence(),
                plain.modifiedBy(), hasContent ? ContentCipher.encryptedSize(plain.blockSize()) : 0, blocks,
                hasContent ? contentHash(s) : null, "", s, plain.changeSet(), plain.changeSetSize());
    }

    /**
     * For encrypted nodes: true when an encrypted-space record carries a valid folder signature and agrees with it
     * (path, size, block hashes), so it cannot have been made up or altered by whoever relayed it.
     */
    static boolean verify(FolderSecret secret, FolderId folder, FileRecord e) {
        SealedInfo s = e.sealed();
        if (s == null || !s.encryptedPath().equals(e.path())) {
            return false;
        }
        if (!e.deleted() && e.type() == FileType.FILE) {
            if (e.size() != s.encryptedSize() || e.blocks().size() != s.encryptedBlockHashes().size()
                    || !contentHash(s).equals(e.fileHash())) {
                return false;
            }
            for (int i = 0; i < e.blocks().size(); i++) {
                if (!e.blocks().get(i).hash().equals(s.encryptedBlockHashes().get(i))) {
                    return false;
                }
            }
        }
        return RecordSigner.verifySealed(secret, folder, s, e.version(), e.deleted(), e.modifiedBy(), e.changeSet(),
                e.changeSetSize());
    }

    /** For members with the content key: the plain record an encrypted-space record stands for, if genuine. */
    static Optional<FileRecord> open(FolderSecret secret, FileRecord e) {
        if (e.sealed() == null || !e.sealed().encryptedPath().equals(e.path())) {
            return Optional.empty();
        }
        try {
            return Optional.of(RecordSigner.openSealed(secret, e.sealed(), e.version(), e.deleted(), e.modifiedBy(),
                    e.changeSet(), e.changeSetSize())
                    .withSequence(e.sequence()));
        } catch (GeneralSecurityException | RuntimeException ex) {
            return Optional.empty();
        }
    }

    /** Encrypted offset of plain block {@code index}. */
    static long encryptedOffset(FileRecord plain, int index) {
        if (plain.blocks().get(index).offset() == (long) index * plain.blockSize()) {
            // Every earlier block is full size (as the scanner makes them): no need to add them up.
            return (long) index * ContentCipher.encryptedSize(plain.blockSize());
        }
        long offset = 0;
        for (int i = 0; i < index; i++) {
            offset += ContentCipher.encryptedSize(plain.blocks().get(i).size());
        }
        return offset;
    }

    /** Stands in for a whole-content hash in encrypted space: a digest of the signed block hashes. */
    private static Hash contentHash(SealedInfo s) {
        java.security.MessageDigest d = Hash.newDigest();
        s.encryptedBlockHashes().forEach(h -> d.update(h.bytes()));
        return Hash.of(d.digest());
    }
}
