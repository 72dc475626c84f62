package io.peersync.protocol.secret;

import io.peersync.protocol.BlockRef;
import io.peersync.protocol.FileRecord;
import io.peersync.protocol.FolderId;
import io.peersync.protocol.Hash;
import io.peersync.protocol.SealedInfo;
import io.peersync.protocol.VersionVector;
import io.peersync.protocol.wire.RecordCodec;
import io.peersync.protocol.wire.RecordFormatException;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs file records with the folder key and checks them, in two parts so that encrypted nodes can check too.
 *
 * <p>Both encodings below are {@link Canonical}: each field is a 4-byte big-endian length then its bytes;
 * flags and type codes are 1 byte, ints 4 bytes, longs 8 bytes (big-endian); a list is a 4-byte count
 * field followed by its elements' fields; strings are UTF-8.
 * <ul>
 *   <li>The <b>plain digest</b> is SHA-256 of: "peersync v1 plain", path, type code, deleted flag, size,
 *       mtimeNanos, mode, blockSize, the blocks (count, then offset, size, hash of each), the file hash
 *       (an empty field when there is none), symlink target. Only members with the content key can
 *       recompute it; to encrypted nodes it is an opaque value.</li>
 *   <li>The <b>signed message</b> is: "peersync v1 record", folder id (16 bytes), plain digest, encrypted
 *       path, version vector (count, then node id and counter of each, ascending by node id as an
 *       unsigned number), deleted flag, modifiedBy, encrypted size, encrypted block hashes (count, then
 *       each), change-set id, change-set size. Every field is one an encrypted node holds. The change set is
 *       signed so that no relaying member can split a set or make a lone change look like part of one.</li>
 * </ul>
 * The sequence number is not signed: each node numbers the records it announces itself.
 */
public final class RecordSigner {
    private RecordSigner() {}

    /** SHA-256 of the record's canonical plain encoding: everything about it except version and sequence. */
    public static Hash plainDigest(FileRecord r) {
        Canonical out = new Canonical("peersync v1 plain")
                .utf8(r.path())
                .u8(r.type().code())
                .flag(r.deleted())
                .i64(r.size())
                .i64(r.mtimeNanos())
                .i32(r.mode())
                .i32(r.blockSize())
                .i32(r.blocks().size());
        for (BlockRef b : r.blocks()) {
            out.i64(b.offset()).i32(b.size()).bytes(b.hash().bytes());
        }
        out.bytes(r.fileHash() == null ? new byte[0] : r.fileHash().bytes())
                .utf8(r.target());
        return Hash.sha256(out.toByteArray());
    }

    /**
     * Signs {@code r} with a read-write secret. {@code encryptedBlockHashes} are the SHA-256 of each of
     * r's blocks as {@link ContentCipher#encryptBlock} encrypts it, in order.
     *
     * @throws IllegalStateException if {@code rw} is not a read-write secret
     */
    public static SealedInfo seal(FolderSecret rw, FileRecord r, List<Hash> encryptedBlockHashes) {
        if (rw.level() != AccessLevel.READ_WRITE) {
            throw new IllegalStateException("record signer: cannot seal with a " + rw.level().jsonName()
                    + " secret (expected: read-write)");
        }
        List<Hash> hashes = List.copyOf(encryptedBlockHashes);
        if (hashes.size() != r.blocks().size()) {
            throw new IllegalArgumentException("encrypted block hashes of " + r.path() + ": " + hashes.size()
                    + " (expected: " + r.blocks().size() + ", one per block)");
        }
        String encryptedPath = rw.contentCipher().orElseThrow().encryptPath(r.path());
        Hash plain = plainDigest(r);
        long encryptedSize = encryptedSize(r);
        byte[] signature = rw.sign(message(rw.folderId(), plain, encryptedPath, r.version(), r.deleted(),
                r.modifiedBy(), encryptedSize, hashes, r.changeSet(), r.changeSetSize()));
        byte[] metadata = plainEncoding(r);
        byte[] encryptedMetadata = rw.contentCipher().orElseThrow().encryptBlock(metadata, Hash.sha256(metadata));
        return new SealedInfo(encryptedPath, encryptedSize, hashes, plain, signature, encryptedMetadata);
    }

    /**
     * For a member with the content key that learned a record only in its sealed form (from an encrypted node):
     * decrypts the plain record it carries and checks it fully against the signature. The result has sequence 0
     * and carries {@code s}.
     *
     * @throws GeneralSecurityException if the metadata does not decrypt, or the record is not what was signed
     */
    public static FileRecord openSealed(FolderSecret any, SealedInfo s, VersionVector v, boolean deleted,
                                        long modifiedBy) throws GeneralSecurityException {
        return openSealed(any, s, v, deleted, modifiedBy, 0, 0);
    }

    /** {@link #openSealed(FolderSecret, SealedInfo, VersionVector, boolean, long)} of a change-set member. */
    public static FileRecord openSealed(FolderSecret any, SealedInfo s, VersionVector v, boolean deleted,
            long modifiedBy, long changeSet, int changeSetSize) throws GeneralSecurityException {
        ContentCipher cipher = any.contentCipher().orElseThrow(() -> new IllegalStateException(
                "record signer: an encrypted secret cannot open sealed records"));
        byte[] plain = cipher.decryptBlock(s.encryptedMetadata());
        FileRecord r;
        try {
            r = RecordCodec.decode(plain);
        } catch (RecordFormatException e) {
            throw new GeneralSecurityException("sealed metadata is not a valid record: " + e.getMessage(), e);
        }
        if (!r.version().equals(v) || r.deleted() != deleted || r.modifiedBy() != modifiedBy
                || r.changeSet() != changeSet || r.changeSetSize() != changeSetSize) {
            throw new GeneralSecurityException("sealed metadata does not match the signed version");
        }
        FileRecord sealed = r.withSealed(s);
        if (!verifyPlain(any, sealed, s)) {
            throw new GeneralSecurityException("sealed record of " + r.path() + " fails its signature");
        }
        return sealed;
    }

    /** The plain record as sealed metadata holds it: its {@link RecordCodec} bytes, sequence 0, no seal. */
    private static byte[] plainEncoding(FileRecord r) {
        return RecordCodec.encode(r.withSequence(0).withSealed(null));
    }

    /**
     * For members that can read (read-write, read-only): true if {@code s} is the folder key's signature of
     * exactly {@code r}, its content, metadata, version, deletion and author. The sequence is not covered.
     *
     * @throws IllegalStateException if {@code any} is an encrypted secret (use {@link #verifySealed})
     */
    public static boolean verifyPlain(FolderSecret any, FileRecord r, SealedInfo s) {
        ContentCipher cipher = any.contentCipher().orElseThrow(() -> new IllegalStateException(
                "record signer: cannot check plain records with an encrypted secret (expected: read-write or "
                        + "read-only; encrypted nodes use verifySealed)"));
        if (!plainDigest(r).equals(s.plainDigest())
                || s.encryptedBlockHashes().size() != r.blocks().size()
                || s.encryptedSize() != encryptedSize(r)) {
            return false;
        }
        try {
            if (!cipher.encryptPath(r.path()).equals(s.encryptedPath())) {
                return false;
            }
        } catch (IllegalArgumentException e) {
            return false; // too long to encrypt, so never sealed
        }
        return verifySealed(any, any.folderId(), s, r.version(), r.deleted(), r.modifiedBy(), r.changeSet(),
                r.changeSetSize());
    }

    /**
     * For every member, including encrypted nodes: true if {@code s}, with this version, deletion flag and
     * author, was signed by the folder key for {@code folder}. Checks only what an encrypted node can see;
     * the plain digest stays unchecked until a member with the content key calls {@link #verifyPlain}.
     */
    public static boolean verifySealed(FolderSecret any, FolderId folder, SealedInfo s, VersionVector v,
            boolean deleted, long modifiedBy) {
        return verifySealed(any, folder, s, v, deleted, modifiedBy, 0, 0);
    }

    /** {@link #verifySealed(FolderSecret, FolderId, SealedInfo, VersionVector, boolean, long)} with its change set. */
    public static boolean verifySealed(FolderSecret any, FolderId folder, SealedInfo s, VersionVector v,
            boolean deleted, long modifiedBy, long changeSet, int changeSetSize) {
        Objects.requireNonNull(s, "sealed info");
        if (!any.folderId().equals(folder)) {
            return false;
        }
        byte[] message = message(folder, s.plainDigest(), s.encryptedPath(), v, deleted, modifiedBy,
                s.encryptedSize(), s.encryptedBlockHashes(), changeSet, changeSetSize);
        return any.verifySignature(message, s.signature());
    }

    static byte[] message(FolderId folder, Hash plainDigest, String encryptedPath, VersionVector v,
            boolean deleted, long modifiedBy, long encryptedSize, List<Hash> encryptedBlockHashes, long changeSet,
            int changeSetSize) {
        Canonical out = new Canonical("peersync v2 record")
                .bytes(folder.bytes())
                .bytes(plainDigest.bytes())
                .utf8(encryptedPath);
        List<Map.Entry<Long, Long>> counters = new ArrayList<>(v.counters().entrySet());
        counters.sort((a, b) -> Long.compareUnsigned(a.getKey(), b.getKey()));
        out.i32(counters.size());
        for (Map.Entry<Long, Long> c : counters) {
            out.i64(c.getKey()).i64(c.getValue());
        }
        out.flag(deleted)
                .i64(modifiedBy)
                .i64(encryptedSize)
                .i32(encryptedBlockHashes.size());
        for (Hash h : encryptedBlockHashes) {
            out.bytes(h.bytes());
        }
        out.i64(changeSet).i32(changeSetSize);
        return out.toByteArray();
    }

    private static long encryptedSize(FileRecord r) {
        long total = 0;
        for (BlockRef b : r.blocks()) {
            total = Math.addExact(total, ContentCipher.encryptedSize(b.size()));
        }
        return total;
    }
}
